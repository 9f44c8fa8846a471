package loadgen

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	btok "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"

	"parley/app/render"
)

// Search query kinds. The word kinds use words of ordinary frequency (the
// Ordinary band of posts); common is one word found in about a fifth of
// all posts, the worst case the issue names.
const (
	KindWord1   = "word1"   // one ordinary word
	KindWord2   = "word2"   // an ordinary word and another word of the same post
	KindWord3   = "word3"   // an ordinary word and two other words of the same post
	KindPhrase  = "phrase"  // two or three consecutive words of a post, quoted, one of them ordinary
	KindCommon  = "common"  // one word in about a fifth of all posts
	KindSuggest = "suggest" // the start of a thread title as typed, the last word cut short
)

// SearchKinds lists the kinds in report order.
var SearchKinds = []string{KindWord1, KindWord2, KindWord3, KindPhrase, KindCommon, KindSuggest}

// SearchFile is where the calibrated queries are kept, in the data folder.
const SearchFile = "load-search.json"

// Band is a range of document frequency: shares of the posts anonymous
// visitors can search (0.01 is 1%).
type Band struct {
	Lo float64 `json:"lo"`
	Hi float64 `json:"hi"`
}

func (b Band) has(x float64) bool { return x >= b.Lo && x <= b.Hi }

func (b Band) String() string { return pct(b.Lo) + "–" + pct(b.Hi) }

// ParseBand reads "0.0005-0.02".
func ParseBand(s string) (Band, error) {
	lo, hi, ok := strings.Cut(s, "-")
	a, err1 := strconv.ParseFloat(strings.TrimSpace(lo), 64)
	b, err2 := strconv.ParseFloat(strings.TrimSpace(hi), 64)
	if !ok || err1 != nil || err2 != nil || a < 0 || b > 1 || a > b {
		return Band{}, fmt.Errorf("loadgen: band %q: want LO-HI as shares of posts, e.g. 0.0005-0.02", s)
	}
	return Band{a, b}, nil
}

// Default bands: a word of ordinary frequency is in 0.05–2% of posts (a
// topic word of a real forum; at a million posts, 500 to 20,000 of them);
// "a fifth of all posts" is taken as 15–25%.
var (
	DefaultOrdinary = Band{0.0005, 0.02}
	DefaultCommon   = Band{0.15, 0.25}
)

// WordDF is one query word and how many searchable posts hold it, as the
// server counted it (its stemming included) when the set was calibrated.
type WordDF struct {
	Word  string  `json:"word"`
	Posts int64   `json:"posts"`
	Share float64 `json:"share"`
}

// SearchQuery is one query of a kind.
type SearchQuery struct {
	Q string `json:"q"`
	// Hits is the server's total for the query at calibration (0 for
	// suggestions, which are not counted).
	Hits int64 `json:"hits"`
	// Rarest is the word that makes the query a member of its class (the
	// ordinary or the common word), with its document frequency.
	Rarest *WordDF `json:"rarest,omitempty"`
}

// SearchQueries is a calibrated query set: real words of the data set
// sampled from its posts, each with its document frequency measured by
// the server itself, sorted into the kinds.
type SearchQueries struct {
	Version      int                      `json:"version"`
	CalibratedAt time.Time                `json:"calibrated_at"`
	VisiblePosts int64                    `json:"visible_posts"` // posts anonymous visitors can search
	SampledPosts int                      `json:"sampled_posts"`
	Ordinary     Band                     `json:"ordinary"`
	Common       Band                     `json:"common"`
	PerKind      int                      `json:"per_kind"`
	Kinds        map[string][]SearchQuery `json:"kinds"`
}

// SearchCalibration configures how a query set is drawn.
type SearchCalibration struct {
	Sample      int // posts to sample (default 1,000)
	PerKind     int // queries per kind (default 40)
	Ordinary    Band
	Common      Band
	Recalibrate bool // ignore a saved set
	Seed        uint64
	Timeout     time.Duration
	Progress    io.Writer
}

func (c *SearchCalibration) defaults() {
	if c.Sample <= 0 {
		c.Sample = 1000
	}
	if c.PerKind <= 0 {
		c.PerKind = 40
	}
	if c.Ordinary == (Band{}) {
		c.Ordinary = DefaultOrdinary
	}
	if c.Common == (Band{}) {
		c.Common = DefaultCommon
	}
	if c.Timeout <= 0 {
		c.Timeout = 30 * time.Second
	}
}

// LoadSearchQueries returns the query set saved in dataDir when it was
// drawn with the same bands and size, else calibrates a new one against
// the server at rawURL (anonymous requests only) and saves it.
func LoadSearchQueries(ctx context.Context, rawURL, dataDir string, m *Manifest, c SearchCalibration) (*SearchQueries, error) {
	c.defaults()
	path := filepath.Join(dataDir, SearchFile)
	if !c.Recalibrate {
		if b, err := os.ReadFile(path); err == nil {
			var qs SearchQueries
			if json.Unmarshal(b, &qs) == nil && qs.Version == 1 && qs.Ordinary == c.Ordinary && qs.Common == c.Common && qs.PerKind == c.PerKind {
				if c.Progress != nil {
					fmt.Fprintf(c.Progress, "search queries from %s (calibrated %s; --recalibrate draws new ones)\n", path, qs.CalibratedAt.Format(time.RFC3339))
				}
				return &qs, nil
			}
		}
	}
	base, err := CheckLoopback(rawURL)
	if err != nil {
		return nil, err
	}
	cl := &calibrator{c: c, m: m, root: strings.TrimRight(base.String(), "/"), client: NewClient(2, c.Timeout),
		r: rand.New(rand.NewPCG(c.Seed, 77))} //nolint:gosec // a reproducible sample
	defer cl.client.CloseIdleConnections()
	qs, err := cl.run(ctx)
	if err != nil {
		return nil, err
	}
	b, err := json.MarshalIndent(qs, "", "  ")
	if err != nil {
		return nil, err
	}
	if dataDir != "" {
		if err := os.WriteFile(path, append(b, '\n'), 0o600); err != nil {
			return nil, fmt.Errorf("loadgen: save search queries: %w", err)
		}
	}
	return qs, nil
}

type calibrator struct {
	c      SearchCalibration
	m      *Manifest
	root   string
	client *http.Client
	r      *rand.Rand
	asked  int
}

// samplePost is one sampled post's words, lower-cased, in text order.
type samplePost struct{ words []string }

func (cl *calibrator) logf(format string, args ...any) {
	if cl.c.Progress != nil {
		fmt.Fprintf(cl.c.Progress, format, args...)
	}
}

func (cl *calibrator) getJSON(ctx context.Context, path string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, cl.root+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := cl.client.Do(req)
	if err != nil {
		return fmt.Errorf("loadgen: GET %s: %w", path, err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
		return fmt.Errorf("loadgen: GET %s: %d %s", path, resp.StatusCode, b)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// total asks the server how many posts a query finds (0 when it only
// found something after the typo-tolerant retry).
func (cl *calibrator) total(ctx context.Context, q string) (int64, error) {
	var r struct {
		Total      int64 `json:"total"`
		Fuzzy      bool  `json:"fuzzy"`
		Rebuilding bool  `json:"rebuilding"`
	}
	cl.asked++
	if err := cl.getJSON(ctx, "/api/v1/search?q="+url.QueryEscape(q), &r); err != nil {
		return 0, err
	}
	if r.Rebuilding {
		return 0, errors.New("loadgen: the server's search index is being rebuilt (or held by another process); wait until it is ready")
	}
	if r.Fuzzy {
		return 0, nil
	}
	return r.Total, nil
}

func (cl *calibrator) run(ctx context.Context) (*SearchQueries, error) {
	start := time.Now()
	var forums struct {
		Forums []struct {
			PostCount int64 `json:"post_count"`
		} `json:"forums"`
	}
	if err := cl.getJSON(ctx, "/api/v1/forums", &forums); err != nil {
		return nil, err
	}
	qs := &SearchQueries{Version: 1, Ordinary: cl.c.Ordinary, Common: cl.c.Common, PerKind: cl.c.PerKind, Kinds: map[string][]SearchQuery{}}
	for _, f := range forums.Forums {
		qs.VisiblePosts += f.PostCount
	}
	if qs.VisiblePosts == 0 {
		return nil, errors.New("loadgen: the server shows no posts to anonymous visitors")
	}
	posts, titles, err := cl.sample(ctx)
	if err != nil {
		return nil, err
	}
	qs.SampledPosts = len(posts)
	cl.logf("sampled %d posts and %d titles; %d searchable posts\n", len(posts), len(titles), qs.VisiblePosts)

	// Each word's share of the sampled posts: a first guess of its class,
	// which the server's count then settles.
	seen := map[string]int{}
	for _, p := range posts {
		for _, w := range distinct(p.words) {
			seen[w]++
		}
	}
	guess := func(w string) float64 { return float64(seen[w]) / float64(len(posts)) }
	words := slices.Sorted(func(yield func(string) bool) {
		for w := range seen {
			if !yield(w) {
				return
			}
		}
	})
	cl.r.Shuffle(len(words), func(i, j int) { words[i], words[j] = words[j], words[i] })
	confirm := func(kind string, band Band, cands []string) (map[string]WordDF, error) {
		got := map[string]WordDF{}
		for _, w := range cands {
			if len(got) >= cl.c.PerKind {
				break
			}
			n, err := cl.total(ctx, w)
			if err != nil {
				return nil, err
			}
			share := float64(n) / float64(qs.VisiblePosts)
			if band.has(share) {
				got[w] = WordDF{Word: w, Posts: n, Share: share}
				qs.Kinds[kind] = append(qs.Kinds[kind], SearchQuery{Q: w, Hits: n, Rarest: &WordDF{Word: w, Posts: n, Share: share}})
			}
		}
		if len(got) == 0 {
			return nil, fmt.Errorf("loadgen: no word of the sampled posts is in %s of posts (%s); widen the band", band, kind)
		}
		return got, nil
	}
	// Ordinary words: the sample sees them rarely; try those it saw at most
	// a few times as often as the band's top.
	var ordCands, comCands []string
	for _, w := range words {
		if g := guess(w); g <= max(2*cl.c.Ordinary.Hi, 3/float64(len(posts))) {
			ordCands = append(ordCands, w)
		}
	}
	ordinary, err := confirm(KindWord1, cl.c.Ordinary, ordCands[:min(len(ordCands), 4*cl.c.PerKind)])
	if err != nil {
		return nil, err
	}
	// Common words: nearest the middle of the band first.
	mid := (cl.c.Common.Lo + cl.c.Common.Hi) / 2
	for _, w := range words {
		if g := guess(w); g >= cl.c.Common.Lo*0.6 && g <= cl.c.Common.Hi*1.4 {
			comCands = append(comCands, w)
		}
	}
	slices.SortStableFunc(comCands, func(a, b string) int {
		da, db := guess(a)-mid, guess(b)-mid
		return cmpFloat(da*da, db*db)
	})
	if _, err := confirm(KindCommon, cl.c.Common, comCands[:min(len(comCands), 3*cl.c.PerKind)]); err != nil {
		return nil, err
	}
	if err := cl.multi(ctx, qs, posts, ordinary, guess); err != nil {
		return nil, err
	}
	qs.Kinds[KindSuggest] = cl.suggestions(titles)
	for _, k := range SearchKinds {
		if len(qs.Kinds[k]) == 0 {
			return nil, fmt.Errorf("loadgen: found no %s queries in the sample; sample more posts or widen the bands", k)
		}
	}
	qs.CalibratedAt = time.Now().UTC()
	cl.logf("calibrated in %s with %d searches\n", time.Since(start).Round(time.Millisecond), cl.asked)
	return qs, nil
}

// multi builds the two- and three-word and the phrase queries from posts
// that hold an ordinary word: what someone looking for that post might
// type. Each must find something as typed (no typo retry).
func (cl *calibrator) multi(ctx context.Context, qs *SearchQueries, posts []samplePost, ordinary map[string]WordDF, guess func(string) float64) error {
	have := map[string]bool{}
	for _, i := range cl.r.Perm(len(posts)) {
		p := posts[i]
		at := -1
		for j, w := range p.words {
			if _, ok := ordinary[w]; ok {
				at = j
				break
			}
		}
		if at < 0 {
			continue
		}
		rare := ordinary[p.words[at]]
		// Other words a person would type: not the ones in most posts
		// (stop words and the like).
		var others []string
		for _, w := range distinct(p.words) {
			if w != rare.Word && guess(w) <= 0.5 {
				others = append(others, w)
			}
		}
		cl.r.Shuffle(len(others), func(i, j int) { others[i], others[j] = others[j], others[i] })
		add := func(kind, q string) error {
			if len(qs.Kinds[kind]) >= cl.c.PerKind || have[q] {
				return nil
			}
			have[q] = true
			n, err := cl.total(ctx, q)
			if err != nil || n == 0 {
				return err
			}
			r := rare
			qs.Kinds[kind] = append(qs.Kinds[kind], SearchQuery{Q: q, Hits: n, Rarest: &r})
			return nil
		}
		if len(others) >= 1 {
			if err := add(KindWord2, rare.Word+" "+others[0]); err != nil {
				return err
			}
		}
		if len(others) >= 2 {
			if err := add(KindWord3, others[1]+" "+rare.Word+" "+others[0]); err != nil {
				return err
			}
		}
		lo, hi := max(0, at-1), min(len(p.words), at+1+cl.r.IntN(2))
		if hi-lo >= 2 {
			if err := add(KindPhrase, `"`+strings.Join(p.words[lo:hi], " ")+`"`); err != nil {
				return err
			}
		}
		full := true
		for _, k := range []string{KindWord2, KindWord3, KindPhrase} {
			full = full && len(qs.Kinds[k]) >= cl.c.PerKind
		}
		if full {
			break
		}
	}
	return nil
}

// suggestions types the start of thread titles: one to three words, the
// last cut to two or more letters.
func (cl *calibrator) suggestions(titles []string) []SearchQuery {
	var out []SearchQuery
	have := map[string]bool{}
	for _, t := range titles {
		if len(out) >= cl.c.PerKind {
			break
		}
		ws := words(t)
		if len(ws) == 0 {
			continue
		}
		k := 1 + cl.r.IntN(min(3, len(ws)))
		last := []rune(ws[k-1])
		if len(last) < 2 {
			continue
		}
		cut := 2 + cl.r.IntN(len(last)-1)
		q := strings.Join(append(slices.Clone(ws[:k-1]), string(last[:cut])), " ")
		if !have[q] {
			have[q] = true
			out = append(out, SearchQuery{Q: q})
		}
	}
	return out
}

// sample reads random thread pages through the JSON API until it has
// Sample posts, and collects the threads' titles.
func (cl *calibrator) sample(ctx context.Context) ([]samplePost, []string, error) {
	var threads []ThreadRef
	for _, c := range []string{ClassSmall, ClassMedium, ClassLarge, ClassBig} {
		threads = append(threads, cl.m.ThreadSample[c]...)
	}
	if len(threads) == 0 {
		return nil, nil, errors.New("loadgen: the manifest lists no public threads")
	}
	var posts []samplePost
	var titles []string
	seenTitle := map[string]bool{}
	for tries := 0; len(posts) < cl.c.Sample && tries < cl.c.Sample; tries++ {
		t := threads[cl.r.IntN(len(threads))]
		var page struct {
			Thread struct {
				Title string `json:"title"`
			} `json:"thread"`
			Posts []struct {
				HTML string `json:"html"`
			} `json:"posts"`
		}
		path := "/api/v1/threads/" + strconv.FormatInt(t.ID, 10) + "?page=" + strconv.Itoa(1+cl.r.IntN(max(1, t.Pages)))
		if err := cl.getJSON(ctx, path, &page); err != nil {
			return nil, nil, err
		}
		if !seenTitle[page.Thread.Title] {
			seenTitle[page.Thread.Title] = true
			titles = append(titles, page.Thread.Title)
		}
		for _, p := range page.Posts {
			if ws := words(render.PlainText(p.HTML, 100_000)); len(ws) > 0 {
				posts = append(posts, samplePost{words: ws})
			}
		}
	}
	if len(posts) == 0 {
		return nil, nil, errors.New("loadgen: sampled no posts")
	}
	return posts, titles, nil
}

var tokenizer = btok.NewUnicodeTokenizer()

// words splits text as the index does (Unicode word boundaries), lower-
// cased, keeping words of two characters or more with a letter or digit.
func words(text string) []string {
	var out []string
	for _, t := range tokenizer.Tokenize([]byte(text)) {
		w := strings.ToLower(string(t.Term))
		if len([]rune(w)) < 2 || strings.IndexFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) < 0 {
			continue
		}
		out = append(out, w)
	}
	return out
}

func distinct(ws []string) []string {
	seen := make(map[string]bool, len(ws))
	out := ws[:0:0]
	for _, w := range ws {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func pct(x float64) string {
	switch {
	case x == 0:
		return "0%"
	case x < 0.001:
		return strconv.FormatFloat(100*x, 'f', 3, 64) + "%"
	case x < 0.1:
		return strconv.FormatFloat(100*x, 'f', 2, 64) + "%"
	}
	return strconv.FormatFloat(100*x, 'f', 1, 64) + "%"
}

// searchOp is the request generator of a search mix entry: "search" draws
// a kind by searchWeights, "search_<kind>" one kind, "suggest" suggestions.
func searchOp(name string, qs *SearchQueries, sort string) (func(r *rand.Rand) request, error) {
	if qs == nil {
		return nil, errors.New("loadgen: " + name + " needs calibrated search queries")
	}
	kinds := []string{strings.TrimPrefix(name, "search_")}
	weights := []float64{1}
	switch name {
	case "search":
		kinds, weights = nil, nil
		for _, kw := range searchWeights {
			kinds = append(kinds, kw.kind)
			weights = append(weights, kw.weight)
		}
	case "suggest":
		kinds = []string{KindSuggest}
	}
	for _, k := range kinds {
		if len(qs.Kinds[k]) == 0 {
			return nil, fmt.Errorf("loadgen: the search query set has no %s queries", k)
		}
	}
	extra := ""
	if sort != "" {
		extra = "&sort=" + url.QueryEscape(sort)
	}
	return func(r *rand.Rand) request {
		k := kinds[weighted(r, weights)]
		q := qs.Kinds[k][r.IntN(len(qs.Kinds[k]))]
		if k == KindSuggest {
			return request{label: "suggest", method: http.MethodGet, path: "/api/v1/search/suggest?q=" + url.QueryEscape(q.Q), want: http.StatusOK}
		}
		return request{label: "search_" + k, method: http.MethodGet, path: "/api/v1/search?q=" + url.QueryEscape(q.Q) + extra, want: http.StatusOK}
	}, nil
}

// searchWeights is the blend of the "search" mix entry: mostly specific
// words, a fifth common ones.
var searchWeights = []struct {
	kind   string
	weight float64
}{{KindWord1, 30}, {KindWord2, 25}, {KindWord3, 15}, {KindPhrase, 10}, {KindCommon, 20}}

// SearchOperations are the mix entries of run that search: "search" blends
// the kinds (searchWeights), the others are one kind each.
var SearchOperations = []string{"search", "search_word1", "search_word2", "search_word3", "search_phrase", "search_common", "suggest"}

func isSearchOp(name string) bool { return slices.Contains(SearchOperations, name) }
