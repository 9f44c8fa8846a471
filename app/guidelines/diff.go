package guidelines

import "strings"

// Op is what a diff line does.
type Op int8

// The three kinds of diff line.
const (
	Same Op = iota
	Add
	Del
)

func (o Op) String() string {
	switch o {
	case Add:
		return "add"
	case Del:
		return "del"
	}
	return "same"
}

// MarshalText names the op in JSON ("same", "add", "del").
func (o Op) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// Line is one line of a line-based diff. Old and New are its 1-based line
// numbers in the old and new text; 0 where it has none (an added line has
// no Old, a removed one no New).
type Line struct {
	Op   Op     `json:"op"`
	Old  int    `json:"old,omitempty"`
	New  int    `json:"new,omitempty"`
	Text string `json:"text"`
}

// Hunk is a run of changes with some unchanged lines around them.
type Hunk struct {
	Lines []Line `json:"lines"`
}

// SplitLines cuts text into lines; a final newline does not start another
// (empty) line, and "" has no lines.
func SplitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// diffBudget bounds the work of one diff (steps of the inner loops). Two
// 100 KB texts with nothing in common line by line would otherwise cost
// O(N·D) ≈ 10^10 steps; past the budget the rest of the texts is shown as
// removed and added wholesale, which is still a correct diff, only not the
// shortest.
const diffBudget = 20_000_000

// Diff compares a and b line by line and returns every line of both in
// order: unchanged, removed (from a) and added (from b), with removals
// before additions within a change. It is Myers' O(ND) algorithm with the
// linear-space "middle snake" bisection (as in diff-match-patch), on lines
// interned to integers.
func Diff(a, b []string) []Line {
	ids := map[string]int{}
	intern := func(lines []string) []int {
		out := make([]int, len(lines))
		for i, l := range lines {
			id, ok := ids[l]
			if !ok {
				id = len(ids)
				ids[l] = id
			}
			out[i] = id
		}
		return out
	}
	d := &differ{a: intern(a), b: intern(b), budget: diffBudget}
	d.delA, d.addB = make([]bool, len(a)), make([]bool, len(b))
	d.compare(0, len(a), 0, len(b))

	out := make([]Line, 0, max(len(a), len(b)))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && d.delA[i]:
			out = append(out, Line{Op: Del, Old: i + 1, Text: a[i]})
			i++
		case j < len(b) && d.addB[j]:
			out = append(out, Line{Op: Add, New: j + 1, Text: b[j]})
			j++
		default:
			out = append(out, Line{Op: Same, Old: i + 1, New: j + 1, Text: a[i]})
			i++
			j++
		}
	}
	return out
}

// differ marks the lines of a that are removed and of b that are added;
// the lines left unmarked pair up in order as the common subsequence.
type differ struct {
	a, b       []int
	delA, addB []bool
	budget     int
}

func (d *differ) compare(aLo, aHi, bLo, bHi int) {
	for aLo < aHi && bLo < bHi && d.a[aLo] == d.b[bLo] {
		aLo++
		bLo++
	}
	for aLo < aHi && bLo < bHi && d.a[aHi-1] == d.b[bHi-1] {
		aHi--
		bHi--
	}
	switch {
	case aLo == aHi:
		mark(d.addB, bLo, bHi)
		return
	case bLo == bHi:
		mark(d.delA, aLo, aHi)
		return
	}
	x, y, ok := d.bisect(d.a[aLo:aHi], d.b[bLo:bHi])
	if !ok {
		mark(d.delA, aLo, aHi)
		mark(d.addB, bLo, bHi)
		return
	}
	d.compare(aLo, aLo+x, bLo, bLo+y)
	d.compare(aLo+x, aHi, bLo+y, bHi)
}

func mark(m []bool, lo, hi int) {
	for i := lo; i < hi; i++ {
		m[i] = true
	}
}

// bisect finds a point (x, y) on a shortest edit path from (0, 0) to
// (len(a), len(b)) by running the search from both ends until the paths
// meet. ok is false when the texts share nothing on the way or the work
// budget ran out.
func (d *differ) bisect(a, b []int) (x, y int, ok bool) {
	n, m := len(a), len(b)
	maxD := (n + m + 1) / 2
	off := maxD
	size := 2*maxD + 2
	v1, v2 := make([]int, size), make([]int, size)
	for i := range v1 {
		v1[i], v2[i] = -1, -1
	}
	v1[off+1], v2[off+1] = 0, 0
	delta := n - m
	// With an odd delta the forward path meets the reverse one during a
	// forward step; with an even one during a reverse step.
	front := delta%2 != 0
	// Diagonals that ran off the grid are not searched again.
	k1start, k1end, k2start, k2end := 0, 0, 0, 0
	for D := 0; D < maxD; D++ {
		if d.budget < 0 {
			return 0, 0, false
		}
		for k1 := -D + k1start; k1 <= D-k1end; k1 += 2 {
			i := off + k1
			var x1 int
			if k1 == -D || (k1 != D && v1[i-1] < v1[i+1]) {
				x1 = v1[i+1]
			} else {
				x1 = v1[i-1] + 1
			}
			y1 := x1 - k1
			s := x1
			for x1 < n && y1 < m && a[x1] == b[y1] {
				x1++
				y1++
			}
			d.budget -= 1 + x1 - s
			v1[i] = x1
			switch {
			case x1 > n:
				k1end += 2
			case y1 > m:
				k1start += 2
			case front:
				j := off + delta - k1
				if j >= 0 && j < size && v2[j] != -1 && x1 >= n-v2[j] {
					return x1, y1, true
				}
			}
		}
		for k2 := -D + k2start; k2 <= D-k2end; k2 += 2 {
			i := off + k2
			var x2 int
			if k2 == -D || (k2 != D && v2[i-1] < v2[i+1]) {
				x2 = v2[i+1]
			} else {
				x2 = v2[i-1] + 1
			}
			y2 := x2 - k2
			s := x2
			for x2 < n && y2 < m && a[n-x2-1] == b[m-y2-1] {
				x2++
				y2++
			}
			d.budget -= 1 + x2 - s
			v2[i] = x2
			switch {
			case x2 > n:
				k2end += 2
			case y2 > m:
				k2start += 2
			case !front:
				j := off + delta - k2
				if j >= 0 && j < size && v1[j] != -1 {
					x1 := v1[j]
					y1 := off + x1 - j
					if x1 >= n-x2 {
						return x1, y1, true
					}
				}
			}
		}
	}
	return 0, 0, false
}

// Hunks groups a diff into runs of changes with up to context unchanged
// lines on either side; changes at most 2·context lines apart share a
// hunk. A diff without changes has no hunks.
func Hunks(lines []Line, context int) []Hunk {
	var out []Hunk
	n, i, done := len(lines), 0, 0 // done: lines already in a hunk
	for {
		for i < n && lines[i].Op == Same {
			i++
		}
		if i == n {
			return out
		}
		start := max(i-context, done)
		end := i
		for end < n {
			if lines[end].Op != Same {
				end++
				continue
			}
			run := end // a run of unchanged lines: does a change follow soon?
			for run < n && lines[run].Op == Same {
				run++
			}
			if run < n && run-end <= 2*context {
				end = run
				continue
			}
			end = min(end+context, n)
			break
		}
		out = append(out, Hunk{Lines: lines[start:end]})
		i, done = end, end
	}
}
