package loadgen

import (
	"strings"
	"testing"
	"time"
)

func TestPercentilesAndTable(t *testing.T) {
	s := &routeStats{}
	for i := 100; i >= 1; i-- { // 1..100 ms, recorded out of order
		code := ""
		if i%50 == 0 {
			code = "503"
		}
		s.add(time.Duration(i)*time.Millisecond, code)
	}
	rr := summarize("x", s, 2*time.Second)
	if rr.P50 != 50 || rr.P95 != 95 || rr.P99 != 99 || rr.Max != 100 || rr.RPS != 50 || rr.Errors != 2 || rr.ByCode["503"] != 2 {
		t.Fatalf("%+v", rr)
	}
	if percentile(nil, 99) != 0 || percentile([]time.Duration{7}, 99) != 7 {
		t.Fatal("edge cases")
	}
	rep := &Report{Routes: []RouteReport{rr}, Total: rr, RSS: &RSS{PID: 1, EndKB: 2048, HWMKB: 4096}}
	var b strings.Builder
	rep.WriteTable(&b)
	for _, want := range []string{"2 (503×2)", "99.00", "VmHWM (peak) 4.0 MB"} {
		if !strings.Contains(b.String(), want) {
			t.Fatalf("table lacks %q:\n%s", want, b.String())
		}
	}
}
