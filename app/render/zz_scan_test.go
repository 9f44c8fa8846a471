package render

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestZZScan2(t *testing.T) {
	r := New()
	res := func(n string) (string, bool) { return n, true }
	for _, p := range []string{"[](<", "[a](b \"", "[a](b '", "[a](b (", "[a][", "[a][b", "![](", "[](", "*](", "_](", "[*](", "](", "[a](<b", "[a]: <", "[a]:\n", "<a", "<a b=\"", "<!--", "<?", "<![CDATA[", "`", "\\", "&#", "&a", "http://a.b/(", "www.a(", "a@a.", "*_", "_*", "**_", "~~_"} {
		for _, n := range []int{8000, 32000} {
			s := strings.Repeat(p, n/len(p))
			start := time.Now()
			out, err := r.Render(s, res)
			d := time.Since(start)
			fmt.Printf("%-16q n=%5d render %7.1fms out=%d %v\n", p, n, float64(d.Microseconds())/1000, len(out), err)
		}
	}
}
