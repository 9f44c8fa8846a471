package loadgen

import (
	"math/rand/v2"
	"testing"
)

func TestZipfPagesFavourAFewHotPages(t *testing.T) {
	m := &Manifest{ThreadSample: map[string][]ThreadRef{}}
	for i := range 2000 {
		m.ThreadSample[ClassSmall] = append(m.ThreadSample[ClassSmall], ThreadRef{ID: int64(i + 1), Pages: 1})
	}
	m.ThreadSample[ClassBig] = []ThreadRef{{ID: 9999, Pages: 500}}
	z := newZipfPages(m, 1.1, 1)
	if len(z.pages) != 2500 {
		t.Fatalf("%d pages, want every sampled page once (2500)", len(z.pages))
	}
	r := rand.New(rand.NewPCG(1, 2))
	counts := map[pageRef]int{}
	const n = 20000
	for range n {
		th, page, big := z.pick(r)
		if page < 1 || page > th.Pages || big != (th.ID == 9999) {
			t.Fatalf("bad pick %+v page %d big %v", th, page, big)
		}
		counts[pageRef{t: th, page: page, big: big}]++
	}
	top := counts[z.pages[0]]
	if top < n/20 {
		t.Fatalf("hottest page drew %d of %d; a Zipf(1.1) head should take over 5%%", top, n)
	}
	if len(counts) < 500 {
		t.Fatalf("only %d distinct pages drawn; the tail is missing", len(counts))
	}
	if again := newZipfPages(m, 1.1, 1); again.pages[0] != z.pages[0] || again.pages[100] != z.pages[100] {
		t.Fatal("the same seed gave a different hot set")
	}
}
