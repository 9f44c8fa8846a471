package search

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search/query"

	"parley/app/auth"
	"parley/app/errs"
	"parley/app/forum"
)

// PageSize is the number of results on a page; MaxPage bounds how deep one
// may page (each page collects the results before it).
const (
	PageSize = 20
	MaxPage  = 50
)

// Sort orders.
const (
	SortRelevance = "relevance"
	SortNewest    = "newest"
)

// Results is one page of a search as one viewer may see it.
type Results struct {
	Query string `json:"query"`
	Sort  string `json:"sort"`
	Page  int    `json:"page"`
	Pages int    `json:"pages"`
	// Total counts only posts in forums the viewer can see.
	Total   int64    `json:"total"`
	Results []Result `json:"results"`
	// Fuzzy is set when nothing matched as typed and these are the results
	// of a typo-tolerant retry; ShowingResultsFor is the query it matched.
	Fuzzy             bool   `json:"fuzzy"`
	ShowingResultsFor string `json:"showing_results_for,omitempty"`
	// Rebuilding says the index is being rebuilt: results may be missing.
	Rebuilding bool `json:"rebuilding"`
}

// Result is one matching post.
type Result struct {
	PostID    int64      `json:"post_id"`
	Number    int        `json:"number"`
	Permalink string     `json:"permalink"`
	Thread    ThreadRef  `json:"thread"`
	Forum     ForumRef   `json:"forum"`
	Author    AuthorRef  `json:"author"`
	CreatedAt time.Time  `json:"created_at"`
	Snippet   string     `json:"snippet"`
	Score     float64    `json:"-"`
	locations fieldTerms // the hit's term locations, for the snippet
	doc       *forum.SearchDoc
}

// ThreadRef, ForumRef and AuthorRef name what a result belongs to.
type (
	ThreadRef struct {
		ID    int64  `json:"id"`
		Title string `json:"title"`
	}
	ForumRef struct {
		Slug string `json:"slug"`
		Name string `json:"name"`
	}
	AuthorRef struct {
		ID       int64  `json:"id"`
		Username string `json:"username"`
	}
)

// Search runs a query for viewer v: parse, restrict to the forums v can
// see, collect only the page asked for, and read and highlight only that
// page. When plain words match nothing, it retries them with fuzziness 1.
func (s *Service) Search(ctx context.Context, v *auth.Viewer, raw string, page int, sort string) (*Results, error) {
	q, err := ParseQuery(raw)
	if err != nil {
		return nil, err
	}
	switch sort {
	case "":
		sort = SortRelevance
	case SortRelevance, SortNewest:
	default:
		return nil, errs.BadRequest(`sort is "relevance" or "newest"`)
	}
	if page < 1 || page > MaxPage {
		return nil, errs.BadRequest(fmt.Sprintf("page is between 1 and %d; narrow the search to see more", MaxPage))
	}
	res := &Results{Query: strings.TrimSpace(raw), Sort: sort, Page: page, Results: []Result{}, Rebuilding: s.Rebuilding()}
	filter, ok, err := s.filter(ctx, v, &q)
	if err != nil || !ok {
		return res, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.idx == nil {
		res.Rebuilding = true
		return res, nil
	}
	counts, err := s.counts()
	if err != nil {
		return nil, err
	}
	defer counts.close()
	hits, total, err := s.run(ctx, s.build(&q, filter, false, counts), page, sort)
	if err != nil {
		return nil, err
	}
	if total == 0 && len(q.Words) > 0 {
		if hits, total, err = s.run(ctx, s.build(&q, filter, true, nil), page, sort); err != nil {
			return nil, err
		}
		res.Fuzzy = total > 0
	}
	res.Total = int64(total)                           //nolint:gosec // a hit count, far below 2^63
	res.Pages = int((total + PageSize - 1) / PageSize) //nolint:gosec // likewise
	if err := s.hydrate(ctx, hits, filter.forums); err != nil {
		return nil, err
	}
	for _, h := range hits {
		if h.doc != nil {
			res.Results = append(res.Results, h)
		}
	}
	if sort == SortRelevance {
		// Equal scores are common (short posts, the same words): on the
		// page they read newest first. Bleve broke the tie by index order,
		// which fixes which posts make the page; only their order changes.
		slices.SortStableFunc(res.Results, func(a, b Result) int {
			if c := cmp.Compare(b.Score, a.Score); c != 0 {
				return c
			}
			return b.CreatedAt.Compare(a.CreatedAt)
		})
	}
	// The page's posts passed the filters already: locate needs the words only.
	if err := s.locate(ctx, s.build(&q, filters{}, res.Fuzzy, nil), res.Results); err != nil {
		return nil, err
	}
	for i := range res.Results {
		r := &res.Results[i]
		r.Snippet = snippet(plain(r.doc.HTML), r.locations[bodyField(r.doc.Language)])
	}
	if res.Fuzzy {
		res.ShowingResultsFor = corrected(&q, res.Query, res.Results)
	}
	return res, nil
}

// filters is what restricts a search besides its words: the viewer's
// forums (by id, so a visibility change needs no reindex), and the
// operators' author, forum, dates and reactions.
type filters struct {
	forums map[int64]bool
	// query must match (non-scoring); nil when nothing but the forums
	// restricts the search.
	query query.Query
	// hidden must not match: posts of every forum the viewer may not see.
	hidden query.Query
}

// apply adds the filters to a Bleve query, with more (unscored) queries
// to require.
func (f *filters) apply(b *query.BooleanQuery, more ...query.Query) {
	if f.query != nil {
		more = append(more, f.query)
	}
	switch len(more) {
	case 0:
	case 1:
		b.AddFilter(more[0])
	default:
		b.AddFilter(query.NewConjunctionQuery(more))
	}
	if f.hidden != nil {
		b.AddMustNot(f.hidden)
	}
}

// filter resolves the viewer's forums and the operators. ok is false when
// nothing can match (an unknown author, a forum the viewer cannot see —
// which answers exactly like one that does not exist).
//
// The forums: a viewer who may search one forum (forum:slug) gets a filter
// on it. Anyone else usually sees most of the posts, and a filter that
// matches most posts costs a seek per hit (a third of the time of a common
// word), so these exclude the forums they may not see instead: a must-not
// over the forum ids between the allowed ones (term ranges), read from the
// index's own dictionary as the search runs, so it covers every forum id
// the index holds, also one created a moment ago, and is empty when the
// viewer sees everything.
func (s *Service) filter(ctx context.Context, v *auth.Viewer, q *Query) (filters, bool, error) {
	fs, err := s.forums.VisibleForums(ctx, v)
	if err != nil {
		return filters{}, false, err
	}
	f := filters{forums: map[int64]bool{}}
	var allowed []string
	for _, fo := range fs {
		if q.Forum != "" && fo.Slug != q.Forum {
			continue
		}
		f.forums[fo.ID] = true
		allowed = append(allowed, strconv.FormatInt(fo.ID, 10))
	}
	if len(allowed) == 0 {
		return f, false, nil
	}
	var and []query.Query
	if q.Forum != "" {
		and = append(and, termQ(fForum, allowed[0]))
	} else {
		f.hidden = otherTerms(fForum, allowed)
	}
	if q.Author != "" {
		u, err := s.users.UserByName(ctx, q.Author)
		if errs.Is(err, errs.KindNotFound) {
			return f, false, nil
		}
		if err != nil {
			return f, false, err
		}
		and = append(and, termQ(fAuthor, strconv.FormatInt(u.ID, 10)))
	}
	if !q.Before.IsZero() || !q.After.IsZero() {
		yes, no := true, false
		r := query.NewDateRangeInclusiveQuery(q.After, q.Before, &yes, &no)
		r.SetField(fCreated)
		and = append(and, r)
	}
	if q.HasReactions {
		r := query.NewBoolFieldQuery(true)
		r.SetField(fReacted)
		and = append(and, r)
	}
	if len(and) > 0 {
		f.query = query.NewConjunctionQuery(and)
	}
	return f, true, nil
}

// otherTerms matches every term of field except the given ones: the term
// ranges between them, in the dictionary's (byte) order, ends exclusive.
func otherTerms(field string, except []string) query.Query {
	terms := slices.Clone(except)
	slices.Sort(terms)
	terms = slices.Compact(terms)
	no := false
	rng := func(lo, hi string) query.Query {
		r := query.NewTermRangeInclusiveQuery(lo, hi, &no, &no)
		r.SetField(field)
		return r
	}
	gaps := []query.Query{rng("", terms[0])}
	for i := 1; i < len(terms); i++ {
		gaps = append(gaps, rng(terms[i-1], terms[i]))
	}
	gaps = append(gaps, rng(terms[len(terms)-1], ""))
	return query.NewDisjunctionQuery(gaps)
}

// textFields are the fields a word is looked for in: every language's
// body and title, or only titles for in:title.
func textFields(inTitle bool) []string {
	var out []string
	for lang := range analyzers() {
		out = append(out, titleField(lang))
		if !inTitle {
			out = append(out, bodyField(lang))
		}
	}
	return out
}

// commonShare is where a word counts as common: in more than this share
// of the index's posts.
const commonShare = 0.05

// build turns a parsed query into Bleve's: every word must match (in some
// language field), phrases match as phrases, excluded terms must not
// match, and the filter applies without affecting the score.
//
// With wc (to count words in the index), a word in more than commonShare
// of the posts is required as a filter, unscored, when a rarer word or a
// phrase ranks the results: Bleve then skips through its postings instead
// of decoding every frequency on the way (in "pole 54 door", "pole" and
// "door" are each in a third of the posts and cost most of the time), and
// so common a word adds little to a score anyway. The rarest word is
// always scored. Snippets mark every word: locate builds without wc.
func (s *Service) build(q *Query, f filters, fuzzy bool, wc *wordCounts) query.Query {
	fields := textFields(q.InTitle)
	b := query.NewBooleanQuery(nil, nil, nil)
	type word struct {
		m     query.Query
		posts uint64
	}
	var required []word
	for _, w := range q.Words {
		fz := 0
		if fuzzy && utf8.RuneCountInString(w) >= 3 {
			fz = 1
		}
		m, everywhere, posts := s.anyField(fields, w, false, fz, wc)
		switch {
		case m == nil:
		case everywhere:
			required = append(required, word{m, posts})
		default:
			// A stop word of some language cannot be required of posts in
			// that language ("the" in English, "die" in German): it only
			// helps the ranking.
			b.AddShould(m)
		}
	}
	phrases := 0
	for _, p := range q.Phrases {
		if m, _, _ := s.anyField(fields, p, true, 0, wc); m != nil {
			b.AddMust(m)
			phrases++
		}
	}
	for _, x := range q.Excluded {
		if m, _, _ := s.anyField(fields, x, strings.Contains(x, " "), 0, wc); m != nil {
			b.AddMustNot(m)
		}
	}
	if len(required) == 0 && phrases == 0 && q.hasText() {
		// Every word was a stop word in every language: nothing to look for.
		return query.NewMatchNoneQuery()
	}
	var unscored []query.Query
	if wc != nil && !fuzzy && len(required)+phrases > 1 {
		common := uint64(float64(wc.docs) * commonShare)
		slices.SortStableFunc(required, func(a, b word) int { return cmp.Compare(a.posts, b.posts) })
		keep := 1 // the rarest word ranks, unless a phrase does
		if phrases > 0 {
			keep = 0
		}
		for len(required) > keep && required[len(required)-1].posts > common {
			unscored = append(unscored, required[len(required)-1].m)
			required = required[:len(required)-1]
		}
	}
	for _, w := range required {
		b.AddMust(w.m)
	}
	f.apply(b, unscored...)
	return b
}

func (q *Query) hasText() bool { return len(q.Words) > 0 || len(q.Phrases) > 0 }

// anyField matches text in any of fields, each analysed by its own
// language's analyzer. Fields where the text analyses to nothing (a stop
// word of that language) are left out, and everywhere is false; nil means
// it is nothing anywhere.
//
// With wc, fields that lack one of the text's terms are left out too (a
// German field on an English site, a title field for a word no title
// has): Bleve would advance their empty readers beside every candidate.
// posts is then an estimate of how many posts hold the text: for each
// field, its terms' largest count, summed.
func (s *Service) anyField(fields []string, text string, phrase bool, fuzziness int, wc *wordCounts) (m query.Query, everywhere bool, posts uint64) {
	var or, absent []query.Query
	everywhere = true
	for _, f := range fields {
		an := s.mapping.AnalyzerNamed(s.mapping.AnalyzerNameForPath(f))
		var terms analysis.TokenStream
		if an != nil {
			terms = an.Analyze([]byte(text))
		}
		if len(terms) == 0 {
			everywhere = false
			continue
		}
		var q query.Query
		if phrase {
			m := query.NewMatchPhraseQuery(text)
			m.SetField(f)
			q = m
		} else {
			m := query.NewMatchQuery(text)
			m.SetField(f)
			m.SetOperator(query.MatchQueryOperatorAnd)
			m.SetFuzziness(fuzziness)
			q = m
		}
		if wc != nil && fuzziness == 0 {
			most, least := uint64(0), uint64(math.MaxUint64)
			for _, t := range terms {
				n := wc.count(f, t.Term)
				most, least = max(most, n), min(least, n)
			}
			if least == 0 {
				absent = append(absent, q)
				continue
			}
			posts += most
		}
		or = append(or, q)
	}
	if len(or) == 0 {
		// Found in no field: still required (it matches nothing) rather
		// than dropped like a stop word.
		or = absent
	}
	if len(or) == 0 {
		return nil, false, 0
	}
	return query.NewDisjunctionQuery(or), everywhere, posts
}

// wordCounts counts posts by term in a snapshot of the index.
type wordCounts struct {
	docs  uint64
	count func(field string, term []byte) uint64
	close func()
}

// counts opens a snapshot of the index to count words in; close it.
func (s *Service) counts() (*wordCounts, error) {
	adv, err := s.idx.Advanced()
	if err != nil {
		return nil, fmt.Errorf("search: open index reader: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("search: open index reader: %w", err)
	}
	docs, err := r.DocCount()
	if err != nil {
		_ = r.Close()
		return nil, fmt.Errorf("search: count posts: %w", err)
	}
	count := func(field string, term []byte) uint64 {
		tfr, err := r.TermFieldReader(context.Background(), term, field, false, false, false)
		if err != nil {
			return 0
		}
		n := tfr.Count()
		_ = tfr.Close() // it only counted
		return n
	}
	return &wordCounts{docs: docs, count: count, close: func() { _ = r.Close() }}, nil
}

// run collects one page of hits (from+size results only). By relevance
// the order is the score alone: a second sort key would make Bleve read
// that key's doc values for every matching post, not only the page's
// (half the time of a word found in a fifth of all posts). Term locations
// are not collected here either: locate asks for the page's only.
func (s *Service) run(ctx context.Context, q query.Query, page int, sort string) ([]Result, uint64, error) {
	req := bleve.NewSearchRequestOptions(q, PageSize, (page-1)*PageSize, false)
	if sort == SortNewest {
		req.SortBy([]string{"-" + fCreated, "-_score"})
	} else {
		req.SortBy([]string{"-_score"})
	}
	sr, err := s.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, 0, fmt.Errorf("search: query: %w", err)
	}
	hits := make([]Result, 0, len(sr.Hits))
	for _, h := range sr.Hits {
		id, err := strconv.ParseInt(h.ID, 10, 64)
		if err != nil {
			continue
		}
		hits = append(hits, Result{PostID: id, Score: h.Score})
	}
	return hits, sr.Total, nil
}

// locate fills in the term locations of the results shown, for their
// snippets, by running the query again restricted to their ids: Bleve
// then reads term vectors for these posts only, not for every match.
func (s *Service) locate(ctx context.Context, q query.Query, results []Result) error {
	if len(results) == 0 {
		return nil
	}
	ids := make([]string, len(results))
	for i := range results {
		ids[i] = docID(results[i].PostID)
	}
	only := query.NewConjunctionQuery([]query.Query{query.NewDocIDQuery(ids), q})
	req := bleve.NewSearchRequestOptions(only, len(ids), 0, false)
	req.IncludeLocations = true
	sr, err := s.idx.SearchInContext(ctx, req)
	if err != nil {
		return fmt.Errorf("search: locate matches: %w", err)
	}
	byID := make(map[string]fieldTerms, len(sr.Hits))
	for _, h := range sr.Hits {
		ft := fieldTerms{}
		for field, terms := range h.Locations {
			for term, locs := range terms {
				for _, l := range locs {
					ft[field] = append(ft[field], termAt{term: term, start: int(l.Start), end: int(l.End)}) //nolint:gosec // byte offsets within one post
				}
			}
		}
		byID[h.ID] = ft
	}
	for i := range results {
		results[i].locations = byID[ids[i]]
	}
	return nil
}

// hydrate reads the page's posts from the database in one query. A post deleted since the index saw it, or in a
// forum the viewer cannot see, is left out.
func (s *Service) hydrate(ctx context.Context, hits []Result, allowed map[int64]bool) error {
	ids := make([]int64, len(hits))
	for i := range hits {
		ids[i] = hits[i].PostID
	}
	docs, err := s.forums.SearchDocs(ctx, ids)
	if err != nil {
		return err
	}
	byID := make(map[int64]*forum.SearchDoc, len(docs))
	for i := range docs {
		byID[docs[i].PostID] = &docs[i]
	}
	for i := range hits {
		h := &hits[i]
		d := byID[h.PostID]
		if d == nil || !allowed[d.ForumID] {
			continue
		}
		h.doc = d
		h.Number = d.Number
		h.Permalink = "/p/" + strconv.FormatInt(d.PostID, 10)
		h.Thread = ThreadRef{ID: d.ThreadID, Title: d.Title}
		h.Forum = ForumRef{Slug: d.ForumSlug, Name: d.ForumName}
		h.Author = AuthorRef{ID: d.UserID, Username: d.Username}
		h.CreatedAt = d.CreatedAt
	}
	return nil
}
