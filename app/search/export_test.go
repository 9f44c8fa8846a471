package search

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// What the external tests may see of a Service (compiled with tests only).

// OnChunk makes s call f on its consumer after each chunk of a rebuild's
// scan. Set it before Start.
func OnChunk(s *Service, f func()) { s.chunkDone = f }

// Waiting is the number of Reindex calls waiting for a build.
func Waiting(s *Service) int {
	s.bmu.Lock()
	defer s.bmu.Unlock()
	return len(s.waiters)
}

// IndexedIDs lists, sorted, the post ids the index holds.
func IndexedIDs(s *Service) ([]int64, error) {
	return s.ids(bleve.NewMatchAllQuery())
}

// Matching lists, sorted, the post ids whose text in any language matches
// every word of text (analysed as the index analyses it).
func Matching(s *Service, text string) ([]int64, error) {
	var either []query.Query
	for lang := range analyzers() {
		q := query.NewMatchQuery(text)
		q.SetField(bodyField(lang))
		q.SetOperator(query.MatchQueryOperatorAnd)
		either = append(either, q)
	}
	return s.ids(query.NewDisjunctionQuery(either))
}

func (s *Service) ids(q query.Query) ([]int64, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.idx == nil {
		return nil, fmt.Errorf("search: no index")
	}
	n, err := s.idx.DocCount()
	if err != nil {
		return nil, err
	}
	res, err := s.idx.Search(bleve.NewSearchRequestOptions(q, int(n)+1, 0, false))
	if err != nil {
		return nil, err
	}
	out := make([]int64, 0, len(res.Hits))
	for _, h := range res.Hits {
		id, err := strconv.ParseInt(h.ID, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("search: odd document id %q", h.ID)
		}
		out = append(out, id)
	}
	slices.Sort(out)
	return out, nil
}
