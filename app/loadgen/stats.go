package loadgen

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// routeStats collects one route's results in one worker; workers merge at
// the end, so recording takes no lock. Every latency is kept: a 30 s run at
// a few thousand requests per second is a few hundred kilobytes.
type routeStats struct {
	lat  []time.Duration
	errs map[string]int64
}

func (s *routeStats) add(d time.Duration, errCode string) {
	s.lat = append(s.lat, d)
	if errCode != "" {
		if s.errs == nil {
			s.errs = map[string]int64{}
		}
		s.errs[errCode]++
	}
}

func (s *routeStats) merge(o *routeStats) {
	s.lat = append(s.lat, o.lat...)
	for k, v := range o.errs {
		if s.errs == nil {
			s.errs = map[string]int64{}
		}
		s.errs[k] += v
	}
}

// RouteReport is one row of the result table. Times are milliseconds.
type RouteReport struct {
	Route    string           `json:"route"`
	Requests int64            `json:"requests"`
	Errors   int64            `json:"errors"`
	ByCode   map[string]int64 `json:"errors_by_code,omitempty"`
	RPS      float64          `json:"requests_per_s"`
	Mean     float64          `json:"mean_ms"`
	P50      float64          `json:"p50_ms"`
	P90      float64          `json:"p90_ms"`
	P95      float64          `json:"p95_ms"`
	P99      float64          `json:"p99_ms"`
	Max      float64          `json:"max_ms"`
}

// RSS is the server's memory, read from /proc/PID/status.
type RSS struct {
	PID int `json:"pid"`
	// VmRSS at the end of the run, the highest VmRSS seen while sampling
	// every 250 ms, and VmHWM (the kernel's peak since the process started).
	EndKB     int64 `json:"vmrss_end_kb"`
	SampledKB int64 `json:"vmrss_sampled_peak_kb"`
	HWMKB     int64 `json:"vmhwm_kb"`
}

// Report is the result of Run.
type Report struct {
	URL         string        `json:"url"`
	Mix         string        `json:"mix"`
	Concurrency int           `json:"concurrency"`
	Writers     int           `json:"writers"`
	Rate        float64       `json:"rate,omitempty"`
	Skew        float64       `json:"skew,omitempty"`
	Duration    string        `json:"duration"`
	Warmup      string        `json:"warmup"`
	StartedAt   time.Time     `json:"started_at"`
	Elapsed     float64       `json:"elapsed_s"`
	LoadBefore  string        `json:"loadavg_before"`
	LoadAfter   string        `json:"loadavg_after"`
	Routes      []RouteReport `json:"routes"`
	Total       RouteReport   `json:"total"`
	RSS         *RSS          `json:"rss,omitempty"`
	CPU         *CPU          `json:"cpu,omitempty"`
}

// CPU is where the machine's processor time went during the measurement
// (Linux only): the whole machine's busy and steal shares, and the cores
// used by the server (with --pid) and by the driver itself. A busy share
// well above server+driver means other work disturbed the figures.
type CPU struct {
	Cores       int     `json:"cores"`
	BusyPct     float64 `json:"machine_busy_pct"`
	StealPct    float64 `json:"steal_pct"`
	ServerCores float64 `json:"server_cores,omitempty"`
	DriverCores float64 `json:"driver_cores"`
}

// Route returns the row of a route label, or nil.
func (r *Report) Route(label string) *RouteReport {
	for i := range r.Routes {
		if r.Routes[i].Route == label {
			return &r.Routes[i]
		}
	}
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// percentile is the nearest-rank percentile of sorted latencies.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p/100+0.999999) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func summarize(label string, s *routeStats, elapsed time.Duration) RouteReport {
	lat := s.lat
	slices.Sort(lat)
	rr := RouteReport{Route: label, Requests: int64(len(lat)), ByCode: s.errs}
	for _, n := range s.errs {
		rr.Errors += n
	}
	if len(lat) == 0 {
		return rr
	}
	var sum time.Duration
	for _, d := range lat {
		sum += d
	}
	rr.RPS = float64(len(lat)) / elapsed.Seconds()
	rr.Mean = ms(sum / time.Duration(len(lat)))
	rr.P50, rr.P90, rr.P95, rr.P99 = ms(percentile(lat, 50)), ms(percentile(lat, 90)), ms(percentile(lat, 95)), ms(percentile(lat, 99))
	rr.Max = ms(lat[len(lat)-1])
	return rr
}

func buildReport(stats map[string]*routeStats, elapsed time.Duration) ([]RouteReport, RouteReport) {
	all := &routeStats{}
	var routes []RouteReport
	for _, label := range slices.Sorted(maps.Keys(stats)) {
		all.merge(stats[label])
		routes = append(routes, summarize(label, stats[label], elapsed))
	}
	return routes, summarize("total", all, elapsed)
}

func errText(rr RouteReport) string {
	if rr.Errors == 0 {
		return "0"
	}
	codes := slices.Collect(maps.Keys(rr.ByCode))
	sort.Strings(codes)
	var parts []string
	for _, c := range codes {
		parts = append(parts, fmt.Sprintf("%s×%d", c, rr.ByCode[c]))
	}
	return strconv.FormatInt(rr.Errors, 10) + " (" + strings.Join(parts, " ") + ")"
}

// WriteTable prints the report as a table.
func (r *Report) WriteTable(w io.Writer) {
	fmt.Fprintf(w, "target %s  mix %s\nconcurrency %d, writers %d, duration %s (warm-up %s), measured %.1fs\n",
		r.URL, r.Mix, r.Concurrency, r.Writers, r.Duration, r.Warmup, r.Elapsed)
	if r.Skew > 0 {
		fmt.Fprintf(w, "thread pages picked by a Zipf law, exponent %.2f (hot threads first)\n", r.Skew)
	}
	if r.Rate > 0 {
		fmt.Fprintf(w, "open loop at %.0f requests/s: latency counts from each request's scheduled time\n", r.Rate)
	}
	fmt.Fprintf(w, "load average before: %s   after: %s\n\n", r.LoadBefore, r.LoadAfter)
	width := len("route")
	for _, rr := range r.Routes {
		width = max(width, len(rr.Route))
	}
	ew := len("errors")
	for _, rr := range append(r.Routes, r.Total) {
		ew = max(ew, len([]rune(errText(rr))))
	}
	fmt.Fprintf(w, "%-*s %9s  %-*s %9s %8s %8s %8s %8s\n", width, "route", "requests", ew, "errors", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms")
	row := func(rr RouteReport) {
		e := errText(rr)
		fmt.Fprintf(w, "%-*s %9d  %s%*s %9.1f %8.2f %8.2f %8.2f %8.1f\n", width, rr.Route, rr.Requests, e, ew-len([]rune(e)), "",
			rr.RPS, rr.P50, rr.P95, rr.P99, rr.Max)
	}
	for _, rr := range r.Routes {
		row(rr)
	}
	row(r.Total)
	if c := r.CPU; c != nil {
		fmt.Fprintf(w, "\ncpu (%d cores): machine busy %.0f%%, steal %.1f%%; driver %.2f cores", c.Cores, c.BusyPct, c.StealPct, c.DriverCores)
		if c.ServerCores > 0 {
			fmt.Fprintf(w, ", server %.2f cores; others ≈ %.2f cores", c.ServerCores,
				max(0, c.BusyPct/100*float64(c.Cores)-c.DriverCores-c.ServerCores))
		}
		fmt.Fprintln(w)
	}
	if r.RSS != nil {
		fmt.Fprintf(w, "\nserver pid %d: VmRSS at end %.1f MB, highest sampled VmRSS %.1f MB, VmHWM (peak) %.1f MB\n",
			r.RSS.PID, float64(r.RSS.EndKB)/1024, float64(r.RSS.SampledKB)/1024, float64(r.RSS.HWMKB)/1024)
	}
}

// WriteJSON writes the report to a file.
func (r *Report) WriteJSON(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o600)
}

// ProcStatus reads VmRSS and VmHWM (KB) of a process.
func ProcStatus(pid int) (rssKB, hwmKB int64, err error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, 0, err
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		f := strings.Fields(v)
		if len(f) == 0 {
			continue
		}
		n, _ := strconv.ParseInt(f[0], 10, 64)
		switch k {
		case "VmRSS":
			rssKB = n
		case "VmHWM":
			hwmKB = n
		}
	}
	return rssKB, hwmKB, nil
}

// LoadAverage returns the 1, 5 and 15 minute load averages ("?" off Linux).
func LoadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// cpuSample is a reading of /proc/stat (machine) and of process times.
type cpuSample struct {
	ok               bool
	busy, steal, all int64 // clock ticks, all CPUs
	server, driver   int64 // utime+stime ticks
	at               time.Time
}

func procTicks(pid string) int64 {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return 0
	}
	// The command name may hold spaces; fields after it are fixed.
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return u + st
}

func sampleCPU(pid int) cpuSample {
	c := cpuSample{at: time.Now()}
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return c
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 9 || f[0] != "cpu" {
		return c
	}
	var v [8]int64
	for i := range v {
		v[i], _ = strconv.ParseInt(f[i+1], 10, 64)
	}
	// user nice system idle iowait irq softirq steal
	c.busy = v[0] + v[1] + v[2] + v[5] + v[6]
	c.steal = v[7]
	c.all = c.busy + v[3] + v[4] + v[7]
	c.driver = procTicks("self")
	if pid > 0 {
		c.server = procTicks(strconv.Itoa(pid))
	}
	c.ok = true
	return c
}

func cpuBetween(a, b cpuSample, cores int) *CPU {
	if !a.ok || !b.ok || b.all <= a.all {
		return nil
	}
	const hz = 100 // USER_HZ on Linux
	secs := b.at.Sub(a.at).Seconds()
	all := float64(b.all - a.all)
	c := &CPU{Cores: cores, BusyPct: 100 * float64(b.busy-a.busy) / all, StealPct: 100 * float64(b.steal-a.steal) / all,
		DriverCores: float64(b.driver-a.driver) / hz / secs}
	if a.server > 0 {
		c.ServerCores = float64(b.server-a.server) / hz / secs
	}
	return c
}
