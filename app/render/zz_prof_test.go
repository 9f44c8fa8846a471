package render

import (
	"strings"
	"testing"
)

func BenchmarkZZ(b *testing.B) {
	cases := map[string]string{
		"brparen": strings.Repeat("[](", 10000),
		"usttab":  strings.Repeat("_\t*", 10000),
	}
	for name, s := range cases {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Mentions(s)
			}
		})
	}
}
