package search

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"parley/app/errs"
)

// Limits on what one search may ask for: a query is typed by a person, and
// every term costs a disjunction over the language fields.
const (
	MaxQueryRunes = 200
	MaxTerms      = 12
)

// Query is a parsed search: what the user typed, taken apart. Plain words
// must all match; phrases match as written; excluded terms must not match.
type Query struct {
	Words        []string
	Phrases      []string
	Excluded     []string // words or phrases ("-tent", `-"dry bag"`)
	Author       string
	Forum        string
	InTitle      bool
	Before       time.Time // zero: no bound; else created_at < Before
	After        time.Time // zero: no bound; else created_at >= After
	HasReactions bool
}

// Empty reports whether the query asks for nothing at all.
func (q *Query) Empty() bool {
	return len(q.Words) == 0 && len(q.Phrases) == 0 && q.Author == "" && q.Forum == "" &&
		q.Before.IsZero() && q.After.IsZero() && !q.HasReactions
}

// dateLayout is the one date form the operators take (UTC days).
const dateLayout = "2006-01-02"

// ParseQuery reads the search syntax forum users know: plain words, "exact
// phrases", -excluded, author:name, forum:slug, in:title, before:date,
// after:date and has:reactions. An unknown "word:thing" is a plain word
// (people search for "error:404"). Bad input is an errs.BadRequest with a
// message a person can act on.
func ParseQuery(s string) (Query, error) {
	var q Query
	if !utf8.ValidString(s) {
		return q, errs.BadRequest("the search is not valid text")
	}
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > MaxQueryRunes {
		return q, errs.BadRequest("a search has at most 200 characters")
	}
	toks := tokenize(s)
	if len(toks) > MaxTerms {
		return q, errs.BadRequest("a search has at most 12 terms")
	}
	seen := map[string]bool{}
	for _, t := range toks {
		if t.phrase {
			switch {
			case t.text == "":
			case t.neg:
				q.Excluded = append(q.Excluded, t.text)
			default:
				q.Phrases = append(q.Phrases, t.text)
			}
			continue
		}
		if op, val, ok := operator(t.text); ok && !t.neg {
			if seen[op] {
				return q, errs.BadRequest(op + ": may appear only once")
			}
			seen[op] = true
			if err := q.setOperator(op, val); err != nil {
				return q, err
			}
			continue
		}
		w := strings.TrimFunc(t.text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
		switch {
		case w == "":
		case t.neg:
			q.Excluded = append(q.Excluded, w)
		default:
			q.Words = append(q.Words, w)
		}
	}
	if q.Empty() {
		if len(q.Excluded) > 0 {
			return q, errs.BadRequest("say what to search for, not only what to leave out")
		}
		return q, errs.BadRequest("type something to search for")
	}
	if !q.Before.IsZero() && !q.After.IsZero() && !q.After.Before(q.Before) {
		return q, errs.BadRequest("after: must be earlier than before:")
	}
	return q, nil
}

// operator splits "op:value" when op is one ParseQuery understands.
func operator(tok string) (op, val string, ok bool) {
	op, val, found := strings.Cut(tok, ":")
	if !found {
		return "", "", false
	}
	switch op = strings.ToLower(op); op {
	case "author", "forum", "in", "before", "after", "has":
		return op, val, true
	}
	return "", "", false
}

func (q *Query) setOperator(op, val string) error {
	if val == "" {
		return errs.BadRequest(op + ": needs a value, like " + example(op))
	}
	switch op {
	case "author":
		q.Author = val
	case "forum":
		q.Forum = strings.ToLower(val)
	case "in":
		if strings.ToLower(val) != "title" {
			return errs.BadRequest("in: takes only title (in:title)")
		}
		q.InTitle = true
	case "has":
		if strings.ToLower(val) != "reactions" {
			return errs.BadRequest("has: takes only reactions (has:reactions)")
		}
		q.HasReactions = true
	case "before", "after":
		d, err := time.Parse(dateLayout, val)
		if err != nil {
			return errs.BadRequest(op + ": wants a date like " + example(op) + ", not " + quote(val))
		}
		if op == "before" {
			q.Before = d
		} else {
			q.After = d
		}
	}
	return nil
}

func example(op string) string {
	switch op {
	case "author":
		return "author:anna"
	case "forum":
		return "forum:gear-talk"
	case "in":
		return "in:title"
	case "has":
		return "has:reactions"
	}
	return op + ":2026-01-01"
}

// quote shows a bit of user input in a message, shortened.
func quote(s string) string {
	if utf8.RuneCountInString(s) > 20 {
		s = string([]rune(s)[:20]) + "…"
	}
	return `"` + s + `"`
}

type token struct {
	text   string
	phrase bool
	neg    bool
}

// tokenize splits on spaces, keeping "quoted phrases" (an unclosed quote
// runs to the end) and a leading minus as negation.
func tokenize(s string) []token {
	var out []token
	for s != "" {
		s = strings.TrimLeftFunc(s, unicode.IsSpace)
		if s == "" {
			break
		}
		neg := false
		if strings.HasPrefix(s, "-") && len(s) > 1 && s[1] != ' ' {
			neg, s = true, s[1:]
		}
		if strings.HasPrefix(s, `"`) {
			body, rest, _ := strings.Cut(s[1:], `"`)
			out = append(out, token{text: strings.Join(strings.Fields(body), " "), phrase: true, neg: neg})
			s = rest
			continue
		}
		end := strings.IndexFunc(s, unicode.IsSpace)
		if end < 0 {
			end = len(s)
		}
		out = append(out, token{text: s[:end], neg: neg})
		s = s[end:]
	}
	return out
}
