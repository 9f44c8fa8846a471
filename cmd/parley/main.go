// Command parley runs the Parley forum and its maintenance tasks.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"parley/app"
	"parley/app/auth"
	"parley/app/config"
	"parley/app/demo"
	"parley/app/search"
	"parley/app/web"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "parley:", err)
		}
		os.Exit(2)
	}
}

const usage = `Usage: parley [command] [flags]

Commands:
  serve     run the forum (default)
  migrate   apply database migrations and exit
  user      manage accounts: parley user create --username NAME --email EMAIL --password PASS --role member|moderator|manager|admin
  demo      seed demo content into an empty database
  reindex   rebuild the search index from the database (stop the server first)
  version   print the version
  healthcheck  exit 0 when the server at --addr answers /healthz (for container health checks)

Run "parley COMMAND -h" for the flags of a command.
`

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, args, getenv, stdout, stderr)
	case "migrate":
		return migrate(ctx, args, getenv, stdout, stderr)
	case "user":
		return user(ctx, args, getenv, stdout, stderr)
	case "demo":
		return seedDemo(ctx, args, getenv, stdout, stderr)
	case "reindex":
		return reindex(ctx, args, getenv, stdout, stderr)
	case "healthcheck":
		return healthcheck(ctx, args, getenv, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "parley", version)
		return nil
	case "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

func load(name string, args []string, getenv func(string) string, stderr io.Writer, extra func(*flag.FlagSet)) (config.Config, error) {
	fs := flag.NewFlagSet("parley "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	if extra != nil {
		extra(fs)
	}
	return config.Load(fs, args, getenv)
}

func open(ctx context.Context, cfg config.Config, stderr io.Writer) (*app.App, error) {
	return app.New(ctx, cfg, app.Options{LogOutput: stderr})
}

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := load("serve", args, getenv, stderr, nil)
	if err != nil {
		return err
	}
	a, err := open(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer closeApp(a, stderr)
	if cfg.Demo {
		if err := seedIfEmpty(ctx, a, stdout); err != nil {
			return err
		}
	}
	srv, err := web.New(a)
	if err != nil {
		return err
	}
	return srv.Serve(ctx, cfg.Addr, func(addr string) {
		a.Log.Info("parley is listening", "url", "http://"+addr, "data", cfg.DataDir, "database", dbName(cfg))
		fmt.Fprintf(stdout, "Parley is running at http://%s\n", addr)
	})
}

func dbName(cfg config.Config) string {
	if cfg.UsesSQLite() {
		return cfg.SQLitePath()
	}
	return "postgresql"
}

func seedIfEmpty(ctx context.Context, a *app.App, stdout io.Writer) error {
	n, err := a.Auth.CountUsers(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		a.Log.Info("demo: the database already has accounts; not seeding again")
		return nil
	}
	res, err := demo.Seed(ctx, a)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	fmt.Fprintf(stdout, "Seeded demo content for %s: %d forums, %d threads, %d posts, %d users.\n", res.Brand, res.Forums, res.Threads, res.Posts, res.Users)
	fmt.Fprintf(stdout, "Demo admin login: %s / %s (every demo account uses the same password)\n", demo.AdminUsername, demo.DemoPassword)
	return nil
}

func seedDemo(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := load("demo", args, getenv, stderr, nil)
	if err != nil {
		return err
	}
	a, err := open(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer closeApp(a, stderr)
	return seedIfEmpty(ctx, a, stdout)
}

func migrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := load("migrate", args, getenv, stderr, nil)
	if err != nil {
		return err
	}
	a, err := open(ctx, cfg, stderr) // app.New migrates
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "database is up to date")
	return a.Close()
}

// reindex rebuilds the search index with a progress line. The index is
// built beside the old one and swapped in when complete, so stopping half
// way leaves the old index as it was.
func reindex(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := load("reindex", args, getenv, stderr, nil)
	if err != nil {
		return err
	}
	a, err := open(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer closeApp(a, stderr)
	var last search.Progress
	err = a.Search.Reindex(ctx, func(p search.Progress) {
		last = p
		pct := 100.0
		if p.Total > 0 {
			pct = 100 * float64(p.Done) / float64(p.Total)
		}
		fmt.Fprintf(stdout, "\rindexed %d of %d posts (%.0f%%), %.0f posts/s   ", p.Done, p.Total, pct, p.Rate())
	})
	fmt.Fprintln(stdout)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "search index rebuilt: %d posts in %.1f s (%.0f posts/s)\n", last.Done, last.Elapsed.Seconds(), last.Rate())
	return nil
}

func user(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New(`usage: parley user create --username NAME --email EMAIL --password PASS --role member|moderator|manager|admin`)
	}
	var in auth.Registration
	var role string
	cfg, err := load("user create", args[1:], getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&in.Username, "username", "", "username")
		fs.StringVar(&in.Email, "email", "", "e-mail address")
		fs.StringVar(&in.Password, "password", "", "password (10 to 200 characters)")
		fs.StringVar(&role, "role", "member", "member, moderator, manager or admin")
	})
	if err != nil {
		return err
	}
	r, ok := auth.ParseRole(role)
	if !ok {
		return fmt.Errorf("--role: %q is not member, moderator, manager or admin", role)
	}
	a, err := open(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer closeApp(a, stderr)
	u, err := a.Auth.CreateUser(ctx, in, r, 0)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created %s %s (id %d)\n", u.Role, u.Username, u.ID)
	return nil
}

// healthcheck lets a container without curl probe the server it runs.
func healthcheck(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := load("healthcheck", args, getenv, stderr, nil)
	if err != nil {
		return err
	}
	host, port, _ := net.SplitHostPort(cfg.Addr)
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+net.JoinHostPort(host, port)+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthz answered %d", resp.StatusCode)
	}
	fmt.Fprintln(stdout, "ok")
	return nil
}

func closeApp(a *app.App, stderr io.Writer) {
	if err := a.Close(); err != nil {
		fmt.Fprintln(stderr, "parley: close:", err)
	}
}
