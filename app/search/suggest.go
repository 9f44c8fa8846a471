package search

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"parley/app/auth"
	"parley/app/forum"
)

// MaxSuggestions is how many thread titles a suggestion answer holds.
const MaxSuggestions = 8

// Suggestion is a thread whose title matches what is being typed.
type Suggestion struct {
	ThreadID int64    `json:"thread_id"`
	Title    string   `json:"title"`
	URL      string   `json:"url"`
	Forum    ForumRef `json:"forum"`
}

// Suggest finds up to MaxSuggestions thread titles for a search box being
// typed in: every word but the last must match (one typo allowed in words
// of four letters or more), the last may be a prefix. Fewer than two
// characters suggest nothing. Only forums v can see are searched.
func (s *Service) Suggest(ctx context.Context, v *auth.Viewer, raw string) ([]Suggestion, error) {
	out := []Suggestion{}
	raw = strings.TrimSpace(raw)
	if utf8.RuneCountInString(raw) < 2 || !utf8.ValidString(raw) {
		return out, nil
	}
	if utf8.RuneCountInString(raw) > MaxQueryRunes {
		raw = string([]rune(raw)[:MaxQueryRunes])
	}
	var words []string
	for _, t := range s.mapping.AnalyzerNamed("suggest").Analyze([]byte(raw)) {
		words = append(words, string(t.Term))
	}
	if len(words) == 0 {
		return out, nil
	}
	words = words[max(0, len(words)-6):] // the end of a long line is what is being typed
	f, ok, err := s.filter(ctx, v, &Query{})
	if err != nil || !ok {
		return out, err
	}
	b := query.NewBooleanQuery(nil, nil, nil)
	for i, w := range words {
		exact := query.NewTermQuery(w)
		exact.SetField(fSuggest)
		alts := []query.Query{exact}
		if i == len(words)-1 {
			p := query.NewPrefixQuery(w)
			p.SetField(fSuggest)
			alts = append(alts, p)
		}
		if utf8.RuneCountInString(w) >= 4 {
			fz := query.NewFuzzyQuery(w)
			fz.SetField(fSuggest)
			fz.SetFuzziness(1)
			fz.SetBoost(0.5) // a typo ranks below what was typed
			alts = append(alts, fz)
		}
		b.AddMust(query.NewDisjunctionQuery(alts))
	}
	f.apply(b)

	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.idx == nil {
		return out, nil
	}
	// By score alone: a created tie-breaker makes Bleve read that doc value
	// for every title that matches (most of the time of a two-letter
	// prefix); the suggestions found are then ordered newest first among
	// equal scores.
	req := bleve.NewSearchRequestOptions(b, MaxSuggestions, 0, false)
	req.SortBy([]string{"-_score"})
	sr, err := s.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(sr.Hits))
	score := make(map[int64]float64, len(sr.Hits))
	for _, h := range sr.Hits {
		if id, err := strconv.ParseInt(h.ID, 10, 64); err == nil {
			ids = append(ids, id)
			score[id] = h.Score
		}
	}
	docs, err := s.forums.SearchDocs(ctx, ids)
	if err != nil {
		return nil, err
	}
	shown := docs[:0]
	for _, d := range docs {
		if _, ok := score[d.PostID]; ok && f.forums[d.ForumID] {
			shown = append(shown, d)
		}
	}
	slices.SortStableFunc(shown, func(a, b forum.SearchDoc) int {
		if c := cmp.Compare(score[b.PostID], score[a.PostID]); c != 0 {
			return c
		}
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(b.PostID, a.PostID)
	})
	for _, d := range shown {
		out = append(out, Suggestion{ThreadID: d.ThreadID, Title: d.Title, URL: "/t/" + strconv.FormatInt(d.ThreadID, 10),
			Forum: ForumRef{Slug: d.ForumSlug, Name: d.ForumName}})
	}
	return out, nil
}
