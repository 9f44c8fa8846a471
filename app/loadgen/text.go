package loadgen

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
)

// The generated community talks about outdoor gear, like the demo brand, so
// that bodies look like forum posts (and render like them): short and long
// paragraphs, lists, quotes, links, inline and fenced code, @mentions.

var (
	nouns = strings.Fields(`tent pole stove pack zipper trail ridge campsite fly groundsheet headlamp
		boot sole liner buckle belt frame canister filter map compass bivy tarp stake guyline seam
		warranty kit jacket glove mitten sock gaiter hood pocket strap lid valve burner pot mug spork
		quilt pad pillow lantern battery charger knife saw axe rope cord carabiner harness helmet
		crampon axe snowshoe ski binding skin wax canoe paddle kayak dry-bag cooler chair table
		hammock net shelter vestibule door window mesh floor footprint hub clip sleeve patch needle`)
	adjectives = strings.Fields(`light heavy warm cold wet dry old new cracked torn sturdy flimsy
		bright dim quick slow cheap pricey waterproof breathable loud quiet compact bulky soft stiff
		reliable fussy clever simple rugged tidy muddy dusty icy windy sunny rainy foggy steep flat`)
	verbs = strings.Fields(`cracked broke held leaked survived failed worked packed dried froze
		sagged ripped snapped lasted fitted slipped squeaked rattled flapped boiled melted shrank`)
	places = []string{"the north ridge", "Lake Ellery", "the coastal path", "Pine Hollow", "the high pass",
		"Fernwood Gap", "the river camp", "Cedar Flats", "the old quarry", "Moss Creek", "the saddle",
		"Granite Bowl", "the lower meadow", "Hawk Point", "Blackwater Falls"}
	times = []string{"last spring", "on a cold night", "after two days of rain", "in the first week",
		"on the way down", "at 2,000 m", "during a storm", "after the second trip", "this winter",
		"on day three", "when the wind picked up", "right after the warranty ran out"}
	openers = []string{"Thanks for the tips!", "Same here.", "Quick update:", "Long story short:",
		"I had the same problem.", "Good question.", "Not sure this helps, but", "Agreed.",
		"Following this thread.", "Update after the weekend:", "Hi all,", "Honestly,"}
	products = []string{"Ridgeline 2", "Summit 45", "Ember stove", "Trailhead 30", "Alder quilt",
		"Cirrus jacket", "Basin filter", "Talus boots", "Drift pad", "Canopy tarp", "Switchback poles"}
	domains = []string{"example.com", "fernwood.example", "docs.example.org", "maps.example.net"}
	topics  = []string{"Gear question", "Trip report", "Repair help", "First trip", "Review",
		"Warranty", "Setup tips", "Weekend plans", "Packing list", "Photo thread", "Advice needed"}
)

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// sentence writes one sentence with occasional inline markup and mentions.
func sentence(r *rand.Rand, mention func() string) string {
	var b strings.Builder
	switch r.IntN(6) {
	case 0:
		fmt.Fprintf(&b, "My %s %s %s at %s", pick(r, products), pick(r, verbs), pick(r, times), pick(r, places))
	case 1:
		fmt.Fprintf(&b, "The %s %s on the %s was %s %s", pick(r, adjectives), pick(r, nouns), pick(r, products), pick(r, adjectives), pick(r, times))
	case 2:
		fmt.Fprintf(&b, "Has anyone tried a %s %s with the %s", pick(r, adjectives), pick(r, nouns), pick(r, products))
	case 3:
		fmt.Fprintf(&b, "We camped at %s and the %s %s", pick(r, places), pick(r, nouns), pick(r, verbs))
	default:
		n := 6 + r.IntN(12)
		for i := range n {
			if i > 0 {
				b.WriteByte(' ')
			}
			switch r.IntN(10) {
			case 0:
				b.WriteString(pick(r, adjectives))
			case 1:
				b.WriteString(pick(r, verbs))
			default:
				b.WriteString(pick(r, nouns))
			}
		}
	}
	s := b.String()
	s = strings.ToUpper(s[:1]) + s[1:]
	switch r.IntN(14) {
	case 0:
		s += " (**" + pick(r, adjectives) + "**)"
	case 1:
		s += ", *" + pick(r, adjectives) + " " + pick(r, nouns) + "*"
	case 2:
		s += " — see `" + pick(r, nouns) + "-" + fmt.Sprint(r.IntN(90)+10) + "`"
	case 3:
		s += fmt.Sprintf(" ([notes](https://%s/%s/%d))", pick(r, domains), pick(r, nouns), r.IntN(1000))
	case 4:
		s += fmt.Sprintf(" https://%s/t/%d", pick(r, domains), r.IntN(100000))
	case 5:
		if mention != nil {
			s += ", right @" + mention()
		}
	}
	if r.IntN(5) == 0 {
		return s + "?"
	}
	return s + "."
}

func paragraph(r *rand.Rand, mention func() string) string {
	n := 1 + r.IntN(4)
	parts := make([]string, n)
	for i := range parts {
		parts[i] = sentence(r, mention)
	}
	return strings.Join(parts, " ")
}

func block(r *rand.Rand, mention func() string) string {
	switch r.IntN(12) {
	case 0, 1:
		n := 2 + r.IntN(4)
		items := make([]string, n)
		ordered := r.IntN(2) == 0
		for i := range items {
			mark := "-"
			if ordered {
				mark = fmt.Sprintf("%d.", i+1)
			}
			items[i] = fmt.Sprintf("%s %s %s", mark, pick(r, []string{"Check the", "Replace the", "Pack a spare", "Tape the", "Dry the"}), pick(r, nouns))
		}
		return strings.Join(items, "\n")
	case 2, 3:
		return "> " + sentence(r, nil)
	case 4:
		return "```\n" + fmt.Sprintf("%s: %d g\n%s: %d g\ntotal: %d g", pick(r, nouns), 100+r.IntN(900), pick(r, nouns), 100+r.IntN(900), 1000+r.IntN(4000)) + "\n```"
	default:
		return paragraph(r, mention)
	}
}

// Body returns a markdown post body whose length is near target (50 to 2,000
// characters). mention, when not nil, returns a username to @mention.
func Body(r *rand.Rand, target int, mention func() string) string {
	target = min(max(target, 50), 2000)
	var b strings.Builder
	if r.IntN(4) == 0 {
		b.WriteString(pick(r, openers))
		b.WriteByte(' ')
	}
	b.WriteString(paragraph(r, mention))
	for b.Len() < target {
		next := block(r, mention)
		if b.Len()+2+len(next) > 2000 {
			break
		}
		b.WriteString("\n\n")
		b.WriteString(next)
	}
	s := b.String()
	for len(s) < 50 {
		s += " " + sentence(r, nil)
	}
	if len(s) > 2000 { // only a single enormous paragraph gets here
		s = s[:2000]
		if i := strings.LastIndexByte(s, ' '); i > 1000 {
			s = s[:i]
		}
	}
	// The same normalisation as forum.prepare, so stored bodies are what
	// the app would have stored.
	return strings.TrimRight(strings.ReplaceAll(s, "\r\n", "\n"), " \n\t")
}

// BodyLength draws a body length: log-uniform between 50 and 2,000
// characters (median ~320, mean ~530), like real replies: mostly short.
func BodyLength(r *rand.Rand) int {
	return int(math.Exp(math.Log(50) + r.Float64()*(math.Log(2000)-math.Log(50))))
}

// Title returns a thread title of 5 to 120 characters.
func Title(r *rand.Rand) string {
	var t string
	switch r.IntN(4) {
	case 0:
		t = fmt.Sprintf("%s: %s %s %s", pick(r, topics), pick(r, products), pick(r, nouns), pick(r, verbs))
	case 1:
		t = fmt.Sprintf("%s %s at %s", pick(r, adjectives), pick(r, nouns), pick(r, places))
	case 2:
		t = fmt.Sprintf("Which %s for %s %s?", pick(r, nouns), pick(r, places), pick(r, times))
	default:
		t = fmt.Sprintf("%s — %s %s %s", pick(r, topics), pick(r, adjectives), pick(r, nouns), pick(r, times))
	}
	t = strings.ToUpper(t[:1]) + t[1:]
	if len(t) > 120 {
		t = t[:120]
	}
	return t
}

var firstNames = strings.Fields(`anna ben carla dev emil fatima greta hugo ines jonas kai lena
	milo nora omar pia quinn rosa sam tara uli vera wes xena yusuf zoe`)

// Username returns the i-th generated username (valid for auth.NormalizeUsername,
// 3 to 20 characters, unique per i).
func Username(i int) string {
	n := strings.ReplaceAll(nouns[(i/len(firstNames))%len(nouns)], "-", "")
	return fmt.Sprintf("%s_%s%d", firstNames[i%len(firstNames)], n[:min(len(n), 7)], i)
}
