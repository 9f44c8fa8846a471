package guidelines

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// apply rebuilds both texts from a diff: the old one from its unchanged
// and removed lines, the new one from its unchanged and added lines. It
// also checks the line numbers the diff carries.
func apply(t testing.TB, lines []Line) (old, new []string) {
	t.Helper()
	for _, l := range lines {
		switch l.Op {
		case Same:
			old, new = append(old, l.Text), append(new, l.Text)
		case Del:
			old = append(old, l.Text)
		case Add:
			new = append(new, l.Text)
		default:
			t.Fatalf("unknown op %d", l.Op)
		}
		if l.Op != Add && l.Old != len(old) {
			t.Fatalf("line %q: old number %d, want %d", l.Text, l.Old, len(old))
		}
		if l.Op != Del && l.New != len(new) {
			t.Fatalf("line %q: new number %d, want %d", l.Text, l.New, len(new))
		}
	}
	return old, new
}

// lcs is the textbook dynamic program, for checking that Diff is minimal.
func lcs(a, b []string) int {
	prev, cur := make([]int, len(b)+1), make([]int, len(b)+1)
	for i := range a {
		for j := range b {
			if a[i] == b[j] {
				cur[j+1] = prev[j] + 1
			} else {
				cur[j+1] = max(cur[j], prev[j+1])
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func checkDiff(t testing.TB, a, b []string) []Line {
	t.Helper()
	d := Diff(a, b)
	old, new := apply(t, d)
	if !slices.Equal(old, a) || !slices.Equal(new, b) {
		t.Fatalf("diff does not rebuild the texts:\na=%q\nb=%q\ngot old=%q new=%q", a, b, old, new)
	}
	return d
}

func changes(d []Line) int {
	n := 0
	for _, l := range d {
		if l.Op != Same {
			n++
		}
	}
	return n
}

func TestDiffSmall(t *testing.T) {
	cases := []struct {
		a, b string
		want string // ops: = - +
	}{
		{"", "", ""},
		{"a\nb\n", "a\nb\n", "=="},
		{"", "a\nb", "++"},
		{"a\nb", "", "--"},
		{"a\nb\nc", "a\nc", "=-="},
		{"a\nc", "a\nb\nc", "=+="},
		{"a\nb\nc", "a\nx\nc", "=-+="},
		{"x", "y", "-+"},
		{"a\nb\nc\nd", "d\nc\nb\na", "---=+++"},
	}
	for _, c := range cases {
		d := checkDiff(t, SplitLines(c.a), SplitLines(c.b))
		var ops strings.Builder
		for _, l := range d {
			ops.WriteString(map[Op]string{Same: "=", Add: "+", Del: "-"}[l.Op])
		}
		if got := ops.String(); len(got) != len(c.want) || changes(d) != strings.Count(c.want, "+")+strings.Count(c.want, "-") {
			t.Errorf("Diff(%q, %q) = %s, want the shape %s", c.a, c.b, got, c.want)
		}
	}
}

// Random texts over a small alphabet have many equal lines, the hard case
// for a diff: the number of changed lines must be the minimum, n+m-2·LCS.
func TestDiffIsMinimal(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	gen := func() []string {
		n := r.IntN(40)
		out := make([]string, n)
		for i := range out {
			out[i] = string(rune('a' + r.IntN(4)))
		}
		return out
	}
	for i := range 2000 {
		a, b := gen(), gen()
		d := checkDiff(t, a, b)
		if got, want := changes(d), len(a)+len(b)-2*lcs(a, b); got != want {
			t.Fatalf("case %d: %d changed lines, the minimum is %d\na=%q\nb=%q", i, got, want, a, b)
		}
	}
}

// Two large texts with no line in common cost the budget, not N·D steps,
// and still give a correct diff.
func TestDiffBudget(t *testing.T) {
	a, b := make([]string, 30000), make([]string, 30000)
	for i := range a {
		a[i], b[i] = fmt.Sprint("a", i%7), fmt.Sprint("b", i%5)
	}
	a[15000], b[2] = "common", "common"
	d := checkDiff(t, a, b)
	if changes(d) < 59998 {
		t.Fatalf("%d changes", changes(d))
	}
}

func TestHunks(t *testing.T) {
	var a []string
	for i := range 30 {
		a = append(a, fmt.Sprint("line ", i+1))
	}
	b := slices.Clone(a)
	b[4] = "changed 5"                       // one change near the top
	b = slices.Insert(b, 12, "new after 12") // close to the first? no: 7 lines apart
	b[29] = "changed 29"                     // the old line 29 (shifted by one)
	d := checkDiff(t, a, b)
	h := Hunks(d, 3)
	if len(h) != 3 {
		t.Fatalf("%d hunks, want 3: %+v", len(h), h)
	}
	first := h[0].Lines
	if first[0].Old != 2 || first[len(first)-1].Old != 8 {
		t.Errorf("first hunk covers old lines %d..%d, want 2..8", first[0].Old, first[len(first)-1].Old)
	}
	if Hunks(checkDiff(t, a, a), 3) != nil {
		t.Error("a diff without changes has hunks")
	}
	// Changes 6 lines apart (2·context) share one hunk.
	c := slices.Clone(a)
	c[5], c[12] = "x", "y"
	if h := Hunks(checkDiff(t, a, c), 3); len(h) != 1 {
		t.Errorf("changes 6 unchanged lines apart gave %d hunks, want 1", len(h))
	}
	// Hunks never repeat a line.
	seen := map[[2]int]bool{}
	for _, hk := range h {
		for _, l := range hk.Lines {
			k := [2]int{l.Old, l.New}
			if seen[k] {
				t.Fatalf("line %+v in two hunks", l)
			}
			seen[k] = true
		}
	}
}

func FuzzDiff(f *testing.F) {
	f.Add("a\nb\nc\n", "a\nc\nd\n")
	f.Fuzz(func(t *testing.T, a, b string) {
		al, bl := SplitLines(a), SplitLines(b)
		d := checkDiff(t, al, bl)
		if len(al)+len(bl) <= 400 {
			if got, want := changes(d), len(al)+len(bl)-2*lcs(al, bl); got != want {
				t.Fatalf("%d changed lines, the minimum is %d", got, want)
			}
		}
		for _, h := range Hunks(d, Context) {
			if len(h.Lines) == 0 || !slices.ContainsFunc(h.Lines, func(l Line) bool { return l.Op != Same }) {
				t.Fatalf("hunk without a change: %+v", h)
			}
		}
	})
}
