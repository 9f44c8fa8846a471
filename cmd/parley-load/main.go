// Command parley-load builds large Parley data sets and drives a running
// server to measure it. See docs/benchmarks.md.
//
//	parley-load build --data DIR --posts 1000000 --users 5000 --forums 8 --seed 1
//	parley-load run   --url http://127.0.0.1:8080 --data DIR --duration 30s --concurrency 16 --mix "..."
//	parley-load watch --url http://127.0.0.1:8080 --data DIR --clients 10000 --replies 100 --pid PID
//	parley-load search --url http://127.0.0.1:8080 --data DIR --kind all --duration 10s --concurrency 8 --pid PID
//	parley-load check --data DIR
//	parley-load serve --data DIR --addr 127.0.0.1:18080 --cpuprofile cpu.out
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"parley/app"
	"parley/app/config"
	"parley/app/loadgen"
	"parley/app/web"
)

const usage = `Usage: parley-load <command> [flags]

Commands:
  build   create a large data set in an empty data folder (bulk path)
  run     drive a running server (loopback only) and print latency and throughput per route
  watch   N websocket clients watch one thread while replies are posted: delivery times, memory per connection
  search  search and suggestion latency by kind of query (words of known frequency drawn from the data set)
  check   verify the counters and the event log of a data set
  serve   run the server in-process with CPU/heap profiling (for finding hot spots)

Run "parley-load COMMAND -h" for the flags of a command.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "parley-load:", err)
		}
		os.Exit(2)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command")
	}
	switch args[0] {
	case "build":
		return build(ctx, args[1:], stdout, stderr)
	case "run":
		return drive(ctx, args[1:], stdout, stderr)
	case "watch":
		return watch(ctx, args[1:], stdout, stderr)
	case "search":
		return searchLoad(ctx, args[1:], stdout, stderr)
	case "check":
		return check(ctx, args[1:], stdout, stderr)
	case "serve":
		return serve(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

func flags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("parley-load "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// appConfig is the app's default configuration on a data folder.
func appConfig(data, dbURL, logLevel string) (config.Config, error) {
	cfg := config.Default()
	cfg.DataDir, cfg.DatabaseURL, cfg.LogLevel = data, dbURL, logLevel
	return cfg, cfg.Validate()
}

func build(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flags("build", stderr)
	data := fs.String("data", "", "data folder to create (must not hold a database yet)")
	dbURL := fs.String("database-url", "", "PostgreSQL URL (an empty database); empty uses SQLite in --data")
	var o loadgen.BuildOptions
	fs.IntVar(&o.Posts, "posts", 1000000, "posts in total (thread openers included)")
	fs.IntVar(&o.Users, "users", 5000, "members who wrote the content")
	fs.IntVar(&o.Forums, "forums", 8, "forums (the last is members-only when there are two or more)")
	fs.IntVar(&o.Writers, "writers", 16, "moderator accounts with API tokens for the driver's writes (plus one admin)")
	fs.Uint64Var(&o.Seed, "seed", 1, "random seed (the same seed builds the same content)")
	fs.IntVar(&o.Bodies, "bodies", 2000, "distinct post bodies (each rendered once)")
	fs.IntVar(&o.PostsPerTx, "tx-posts", 25000, "posts per transaction")
	cpu := fs.String("cpuprofile", "", "write a CPU profile of the build here")
	params := fs.Int("bulk-params", 200, "bound parameters per INSERT statement (tuning)")
	fs.BoolVar(&o.KeepSync, "keep-sync", false, "keep synchronous=FULL during the load (slower; by default SQLite loads with synchronous=OFF and restores it at the end)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *data == "" {
		return errors.New("build: --data is required")
	}
	cfg, err := appConfig(*data, *dbURL, "warn")
	if err != nil {
		return err
	}
	if cfg.UsesSQLite() {
		if _, err := os.Stat(cfg.SQLitePath()); err == nil {
			return fmt.Errorf("build: %s exists; build into a new folder (or delete it)", cfg.SQLitePath())
		}
	}
	a, err := app.New(ctx, cfg, app.Options{LogOutput: stderr})
	if err != nil {
		return err
	}
	defer func() { _ = a.Close() }()
	o.Progress = stdout
	loadgen.SetBulkParams(*params)
	if *cpu != "" {
		f, err := os.Create(*cpu)
		if err != nil {
			return err
		}
		defer func() { _ = f.Close() }()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	res, err := loadgen.Build(ctx, a, o)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nbuilt in %s: %d users, %d forums, %d threads (%d big, the biggest %d posts), %d posts, %d reactions, %d mentions, %d events\n",
		res.Took.Round(time.Millisecond), res.Users, res.Forums, res.Threads, res.BigThreads, res.BiggestThread, res.Posts, res.Reactions, res.Mentions, res.Events)
	fmt.Fprintf(stdout, "%.0f posts/s overall\n", float64(res.Posts)/res.Took.Seconds())
	if cfg.UsesSQLite() {
		var total int64
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if st, err := os.Stat(cfg.SQLitePath() + suffix); err == nil {
				total += st.Size()
			}
		}
		fmt.Fprintf(stdout, "database %s: %.1f MB\n", cfg.SQLitePath(), float64(total)/(1<<20))
	} else {
		var size int64
		if err := a.Store.SQL().QueryRowContext(ctx, "SELECT pg_database_size(current_database())").Scan(&size); err == nil {
			fmt.Fprintf(stdout, "database size: %.1f MB\n", float64(size)/(1<<20))
		}
	}
	fmt.Fprintf(stdout, "every account's password: %s\n", loadgen.Password)
	fmt.Fprintf(stdout, "API tokens of %s and %d writers (role moderator: staff are not throttled) in %s\n",
		res.Manifest.TokenUsers[0], len(res.Manifest.TokenUsers)-1, filepath.Join(cfg.DataDir, loadgen.TokensFile))
	fmt.Fprintf(stdout, "manifest for the driver: %s\n", filepath.Join(cfg.DataDir, loadgen.ManifestFile))
	return nil
}

func drive(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flags("run", stderr)
	var o loadgen.RunOptions
	fs.StringVar(&o.URL, "url", "http://127.0.0.1:8080", "server to load (loopback only)")
	fs.StringVar(&o.DataDir, "data", "", "data folder the set was built into (manifest and tokens)")
	fs.DurationVar(&o.Duration, "duration", 30*time.Second, "how long to measure")
	fs.DurationVar(&o.Warmup, "warmup", 0, "load before measuring (not recorded)")
	fs.IntVar(&o.Concurrency, "concurrency", 16, "workers, each with one request in flight")
	fs.IntVar(&o.Writers, "writers", 8, "at most this many workers send writes at once")
	fs.StringVar(&o.Mix, "mix", loadgen.DefaultMix, "operation=weight,… (operations: "+strings.Join(loadgen.Operations, ", ")+"; searches: "+strings.Join(loadgen.SearchOperations, ", ")+" — search blends the kinds, see parley-load search)")
	fs.IntVar(&o.DeepPage, "deep-page", 0, "page for the *_deep operations (0: random pages past the manifest's deep_from)")
	fs.Int64Var(&o.MaxRequests, "requests", 0, "stop after this many requests (0: no cap)")
	fs.Float64Var(&o.Skew, "skew", 0, "pick thread pages by a Zipf law with this exponent (e.g. 1.1; 0: uniform over the sample, the page cache's worst case)")
	fs.Float64Var(&o.Rate, "rate", 0, "open loop: send this many requests/s in total on a schedule (0: closed loop, as fast as the workers go)")
	fs.DurationVar(&o.Timeout, "timeout", 10*time.Second, "per-request timeout")
	fs.IntVar(&o.PID, "pid", 0, "server process id: report its VmRSS and VmHWM")
	fs.Uint64Var(&o.Seed, "seed", 1, "random seed for the request sequence")
	jsonOut := fs.String("json", "", "also write the report as JSON to this file")
	quiet := fs.Bool("quiet", false, "no progress lines")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.DataDir == "" {
		return errors.New("run: --data is required")
	}
	if !*quiet {
		o.Progress = stderr
	}
	rep, err := loadgen.Run(ctx, o)
	if rep != nil {
		if werr := writeReport(rep, stdout, *jsonOut); werr != nil {
			return werr
		}
	}
	return err
}

func searchLoad(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flags("search", stderr)
	var o loadgen.SearchOptions
	fs.StringVar(&o.URL, "url", "http://127.0.0.1:8080", "server to load (loopback only)")
	fs.StringVar(&o.DataDir, "data", "", "data folder the set was built into (manifest; the calibrated queries are kept there in "+loadgen.SearchFile+")")
	kinds := fs.String("kind", "all", "comma-separated kinds, run one after the other: "+strings.Join(loadgen.SearchKinds, ", ")+", or all")
	fs.DurationVar(&o.Duration, "duration", 10*time.Second, "how long to measure each kind")
	fs.DurationVar(&o.Warmup, "warmup", 2*time.Second, "load before measuring each kind (not recorded)")
	fs.IntVar(&o.Concurrency, "concurrency", 1, "searchers, each with one request in flight (1: sequential)")
	fs.StringVar(&o.Sort, "sort", "", `"newest" to sort results by date (default: relevance)`)
	fs.DurationVar(&o.Timeout, "timeout", 10*time.Second, "per-request timeout")
	fs.IntVar(&o.PID, "pid", 0, "server process id: its CPU and memory")
	fs.Uint64Var(&o.Seed, "seed", 1, "random seed (the sample and the request sequence)")
	c := &o.Calibration
	fs.IntVar(&c.Sample, "sample", 1000, "posts to sample for the vocabulary (read through the API)")
	fs.IntVar(&c.PerKind, "queries", 40, "queries per kind")
	ordinary := fs.String("ordinary", "0.0005-0.02", "document frequency of an ordinary word: share of searchable posts, LO-HI")
	common := fs.String("common", "0.15-0.25", "document frequency of a common word (\"a fifth of all posts\"), LO-HI")
	fs.BoolVar(&c.Recalibrate, "recalibrate", false, "draw new queries even if "+loadgen.SearchFile+" holds some")
	jsonOut := fs.String("json", "", "also write the report as JSON to this file")
	quiet := fs.Bool("quiet", false, "no progress lines")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.DataDir == "" {
		return errors.New("search: --data is required")
	}
	var err error
	if c.Ordinary, err = loadgen.ParseBand(*ordinary); err != nil {
		return err
	}
	if c.Common, err = loadgen.ParseBand(*common); err != nil {
		return err
	}
	c.Seed = o.Seed
	if *kinds != "all" {
		o.Kinds = strings.Split(*kinds, ",")
	}
	if !*quiet {
		o.Progress = stderr
	}
	rep, err := loadgen.Search(ctx, o)
	if rep != nil {
		if werr := writeReport(rep, stdout, *jsonOut); werr != nil {
			return werr
		}
	}
	return err
}

// report is what run and watch print: a table, and JSON on request.
type report interface {
	WriteTable(io.Writer)
	WriteJSON(path string) error
}

func writeReport(r report, stdout io.Writer, jsonPath string) error {
	r.WriteTable(stdout)
	if jsonPath == "" {
		return nil
	}
	return r.WriteJSON(jsonPath)
}

func watch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flags("watch", stderr)
	var o loadgen.WatchOptions
	fs.StringVar(&o.URL, "url", "http://127.0.0.1:8080", "server to load (loopback only)")
	fs.StringVar(&o.DataDir, "data", "", "data folder the set was built into (manifest and tokens)")
	fs.IntVar(&o.Clients, "clients", 1000, "websocket clients (anonymous) subscribed to the thread")
	fs.IntVar(&o.Replies, "replies", 50, "replies posted while they watch")
	fs.IntVar(&o.Baseline, "baseline", 0, "replies posted before they connect, for the reply latency with no watchers (0: as many as --replies; -1: none)")
	fs.DurationVar(&o.Interval, "interval", 200*time.Millisecond, "time between two replies")
	fs.Int64Var(&o.Thread, "thread", 0, "thread id (0: the manifest's first public reply thread)")
	fs.IntVar(&o.Dialers, "dialers", 64, "connections opened at once")
	fs.DurationVar(&o.Settle, "settle", 5*time.Second, "idle time after connecting, before reading the server's memory")
	fs.DurationVar(&o.GCWait, "gc-wait", 0, "wait up to this long for a server GC before each memory reading, so the heap figures are live memory (Go collects at least every 2 min; parley-load serve --gc-every 1s every second)")
	fs.DurationVar(&o.Wait, "wait", 10*time.Second, "after the last reply, the longest wait for deliveries")
	fs.DurationVar(&o.Timeout, "timeout", 10*time.Second, "per request and per connection set-up")
	fs.IntVar(&o.PID, "pid", 0, "server process id: its VmRSS and CPU")
	jsonOut := fs.String("json", "", "also write the report as JSON to this file")
	quiet := fs.Bool("quiet", false, "no progress lines")
	cpu := fs.String("cpuprofile", "", "write a CPU profile of the clients (this process) here")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.DataDir == "" {
		return errors.New("watch: --data is required")
	}
	if *cpu != "" {
		f, err := os.Create(*cpu)
		if err != nil {
			return err
		}
		defer func() { _ = f.Close() }()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if _, err := loadgen.CheckLoopback(o.URL); err != nil {
		return err
	}
	// One descriptor per client here, and one per client in the server.
	soft, hard, err := web.RaiseFileLimit()
	if err != nil {
		return fmt.Errorf("watch: raise the open file limit: %w", err)
	}
	if soft > 0 && uint64(max(o.Clients, 0))+64 > soft { //nolint:gosec // not negative after max
		return fmt.Errorf("watch: %d clients need about %d open files; the limit is %d (hard %d): raise it (ulimit -Hn) or use fewer clients", o.Clients, o.Clients+64, soft, hard)
	}
	if !*quiet {
		o.Progress = stderr
		fmt.Fprintf(stderr, "open file limit %d\n", soft)
	}
	rep, err := loadgen.Watch(ctx, o)
	if rep != nil {
		if werr := writeReport(rep, stdout, *jsonOut); werr != nil {
			return werr
		}
	}
	return err
}

func check(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flags("check", stderr)
	data := fs.String("data", "", "data folder")
	dbURL := fs.String("database-url", "", "PostgreSQL URL; empty uses SQLite in --data")
	fk := fs.Bool("fk", false, "also run PRAGMA foreign_key_check (SQLite; slow on big sets)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := appConfig(*data, *dbURL, "warn")
	if err != nil {
		return err
	}
	a, err := app.New(ctx, cfg, app.Options{LogOutput: stderr})
	if err != nil {
		return err
	}
	defer func() { _ = a.Close() }()
	start := time.Now()
	checks, err := loadgen.Verify(ctx, a, *fk)
	for _, c := range checks {
		status := "ok"
		if c.Bad != 0 {
			status = fmt.Sprintf("FAILED (%d)", c.Bad)
		}
		fmt.Fprintf(stdout, "%-10s %s\n", status, c.Name)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "checked in %s\n", time.Since(start).Round(time.Millisecond))
	if bad := loadgen.Failed(checks); bad != "" {
		return errors.New("check failed: " + bad)
	}
	return nil
}

// serve runs the real server (app.New + web.New, as parley serve does) with
// CPU and heap profiles written on exit, so a load run can be profiled
// without a pprof endpoint in the product.
func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flags("serve", stderr)
	data := fs.String("data", "", "data folder")
	addr := fs.String("addr", "127.0.0.1:18080", "address to listen on")
	cpu := fs.String("cpuprofile", "", "write a CPU profile here (from start to exit)")
	mem := fs.String("memprofile", "", "write a heap profile here at exit")
	sync := fs.String("sqlite-sync", "FULL", "FULL or NORMAL")
	logLevel := fs.String("log-level", "warn", "debug, info, warn or error")
	gcEvery := fs.Duration("gc-every", 0, "measurement aid: collect garbage this often, so /metrics' heap is live memory (parley-load watch --gc-wait)")
	var readerPragmas multiFlag
	fs.Var(&readerPragmas, "reader-pragma", `experiment: run "PRAGMA <this>" on every reader connection at start, e.g. cache_size=-16384 (repeatable)`)
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := appConfig(*data, "", *logLevel)
	if err != nil {
		return err
	}
	cfg.Addr, cfg.SQLiteSync = *addr, *sync
	if err := cfg.Validate(); err != nil {
		return err
	}
	a, err := app.New(ctx, cfg, app.Options{LogOutput: stderr})
	if err != nil {
		return err
	}
	defer func() { _ = a.Close() }()
	if err := applyReaderPragmas(ctx, a, readerPragmas); err != nil {
		return err
	}
	srv, err := web.New(a)
	if err != nil {
		return err
	}
	if *cpu != "" {
		f, err := os.Create(*cpu)
		if err != nil {
			return err
		}
		defer func() { _ = f.Close() }()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if *gcEvery > 0 {
		go func() {
			t := time.NewTicker(*gcEvery)
			defer t.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-t.C:
					runtime.GC()
				}
			}
		}()
	}
	err = srv.Serve(ctx, cfg.Addr, func(addr string) {
		fmt.Fprintf(stdout, "parley (profiling) at http://%s pid %d\n", addr, os.Getpid())
	})
	if *mem != "" {
		runtime.GC()
		f, ferr := os.Create(*mem)
		if ferr != nil {
			return ferr
		}
		defer func() { _ = f.Close() }()
		if werr := pprof.WriteHeapProfile(f); werr != nil {
			return werr
		}
	}
	return err
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// applyReaderPragmas runs each pragma on every connection of the reader
// pool, holding them all at once so each gets it; the pool keeps idle
// connections open, so the setting stays for the run. An experiment knob:
// it shows what a change to store.Open's reader DSN would bring.
func applyReaderPragmas(ctx context.Context, a *app.App, pragmas []string) error {
	if len(pragmas) == 0 || a.Store.Dialect != "sqlite" {
		return nil
	}
	db, err := a.Store.R.DB()
	if err != nil {
		return err
	}
	n := db.Stats().MaxOpenConnections
	conns := make([]*sql.Conn, 0, n)
	defer func() {
		for _, c := range conns {
			_ = c.Close()
		}
	}()
	for range n {
		c, err := db.Conn(ctx)
		if err != nil {
			return err
		}
		conns = append(conns, c)
		for _, p := range pragmas {
			if _, err := c.ExecContext(ctx, "PRAGMA "+p); err != nil {
				return fmt.Errorf("reader pragma %q: %w", p, err)
			}
		}
	}
	return nil
}
