package loadgen

import (
	"math"
	"math/rand/v2"
	"sort"
)

// zipfPages draws (thread, page) pairs from the manifest's sample with a
// Zipf law: the k-th page of a seeded shuffle has weight 1/k^s. Readers of a
// real forum crowd onto a few hot threads; this models that, reproducibly.
type zipfPages struct {
	pages []pageRef
	cdf   []float64
}

type pageRef struct {
	t    ThreadRef
	page int
	big  bool
}

func newZipfPages(m *Manifest, s float64, seed uint64) *zipfPages {
	z := &zipfPages{}
	for _, c := range []string{ClassSmall, ClassMedium, ClassLarge, ClassBig} {
		for _, t := range m.ThreadSample[c] {
			for p := 1; p <= max(1, t.Pages); p++ {
				z.pages = append(z.pages, pageRef{t: t, page: p, big: c == ClassBig})
			}
		}
	}
	r := rand.New(rand.NewPCG(seed, 0x21bf)) //nolint:gosec // reproducible choice of hot pages
	r.Shuffle(len(z.pages), func(i, j int) { z.pages[i], z.pages[j] = z.pages[j], z.pages[i] })
	z.cdf = make([]float64, len(z.pages))
	sum := 0.0
	for k := range z.pages {
		sum += 1 / math.Pow(float64(k+1), s)
		z.cdf[k] = sum
	}
	for k := range z.cdf {
		z.cdf[k] /= sum
	}
	return z
}

func (z *zipfPages) pick(r *rand.Rand) (ThreadRef, int, bool) {
	i := sort.SearchFloat64s(z.cdf, r.Float64())
	i = min(i, len(z.pages)-1)
	p := z.pages[i]
	return p.t, p.page, p.big
}
