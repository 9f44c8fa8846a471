// Package config holds Parley's settings: one struct, filled from flags and
// PARLEY_* environment variables, validated once at start.
package config

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is every setting the server reads. Flags win over environment
// variables, which win over defaults.
type Config struct {
	Addr          string        // PARLEY_ADDR
	DataDir       string        // PARLEY_DATA
	DatabaseURL   string        // PARLEY_DATABASE_URL; empty means SQLite in DataDir
	Demo          bool          // PARLEY_DEMO
	BaseURL       string        // PARLEY_BASE_URL; the public origin, used for links and cookie security
	LogLevel      string        // PARLEY_LOG_LEVEL
	LogFormat     string        // PARLEY_LOG_FORMAT: text or json
	SQLiteSync    string        // PARLEY_SQLITE_SYNC: FULL (default) or NORMAL
	PostEvery     time.Duration // PARLEY_POST_INTERVAL: minimum gap between posts of established members
	NewPostEvery  time.Duration // PARLEY_NEW_POST_INTERVAL: the same for new accounts
	NewAccountAge time.Duration // PARLEY_NEW_ACCOUNT_AGE: how long an account counts as new
	PageCacheTTL  time.Duration // PARLEY_PAGE_CACHE_TTL: life of a cached anonymous page; 0 turns the cache off
}

// Default returns the settings used when nothing is configured.
func Default() Config {
	return Config{
		Addr:          "127.0.0.1:8080",
		DataDir:       "data",
		LogLevel:      "info",
		LogFormat:     "text",
		SQLiteSync:    "FULL",
		PostEvery:     5 * time.Second,
		NewPostEvery:  30 * time.Second,
		NewAccountAge: 24 * time.Hour,
		PageCacheTTL:  10 * time.Second,
	}
}

// Setting describes one option for flags, environment and the README table.
type Setting struct {
	Flag, Env, Help string
}

// Settings lists every option in the order the README documents them.
var Settings = []Setting{
	{"addr", "PARLEY_ADDR", "address to listen on"},
	{"data", "PARLEY_DATA", "data folder (SQLite database, search index, uploads)"},
	{"database-url", "PARLEY_DATABASE_URL", "PostgreSQL URL (postgres://…); empty uses SQLite in the data folder"},
	{"demo", "PARLEY_DEMO", "seed demo content into an empty database"},
	{"base-url", "PARLEY_BASE_URL", "public URL of the site, e.g. https://forum.example.com"},
	{"log-level", "PARLEY_LOG_LEVEL", "debug, info, warn or error"},
	{"log-format", "PARLEY_LOG_FORMAT", "text or json"},
	{"sqlite-sync", "PARLEY_SQLITE_SYNC", "SQLite synchronous mode: FULL (durable) or NORMAL (faster, may lose the last commits on power loss)"},
	{"post-interval", "PARLEY_POST_INTERVAL", "minimum time between two posts of a member"},
	{"new-post-interval", "PARLEY_NEW_POST_INTERVAL", "minimum time between two posts of a new account"},
	{"new-account-age", "PARLEY_NEW_ACCOUNT_AGE", "how long an account counts as new"},
	{"page-cache-ttl", "PARLEY_PAGE_CACHE_TTL", "how long a page rendered for visitors without an account may be reused (changes drop it at once); 0 turns the cache off"},
}

// Load parses args (without the program or subcommand name) and the
// environment into a validated Config. getenv is os.Getenv in production.
func Load(fs *flag.FlagSet, args []string, getenv func(string) string) (Config, error) {
	c := Default()
	str := map[string]*string{
		"addr": &c.Addr, "data": &c.DataDir, "database-url": &c.DatabaseURL, "base-url": &c.BaseURL,
		"log-level": &c.LogLevel, "log-format": &c.LogFormat, "sqlite-sync": &c.SQLiteSync,
	}
	durs := map[string]*time.Duration{
		"post-interval": &c.PostEvery, "new-post-interval": &c.NewPostEvery, "new-account-age": &c.NewAccountAge,
		"page-cache-ttl": &c.PageCacheTTL,
	}
	var errs []error
	for _, s := range Settings {
		v := getenv(s.Env)
		switch {
		case str[s.Flag] != nil:
			if v != "" {
				*str[s.Flag] = v
			}
			fs.StringVar(str[s.Flag], s.Flag, *str[s.Flag], s.Help+" ("+s.Env+")")
		case durs[s.Flag] != nil:
			if v != "" {
				d, err := time.ParseDuration(v)
				if err != nil {
					errs = append(errs, fmt.Errorf("%s: %q is not a duration like 5s or 1m", s.Env, v))
				} else {
					*durs[s.Flag] = d
				}
			}
			fs.DurationVar(durs[s.Flag], s.Flag, *durs[s.Flag], s.Help+" ("+s.Env+")")
		case s.Flag == "demo":
			if v != "" {
				b, err := strconv.ParseBool(v)
				if err != nil {
					errs = append(errs, fmt.Errorf("%s: %q is not true or false", s.Env, v))
				}
				c.Demo = b
			}
			fs.BoolVar(&c.Demo, s.Flag, c.Demo, s.Help+" ("+s.Env+")")
		}
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if len(errs) > 0 {
		return c, errors.Join(errs...)
	}
	return c, c.Validate()
}

// Validate checks every setting and names the offending one.
func (c *Config) Validate() error {
	var errs []error
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("addr (PARLEY_ADDR): %q is not host:port", c.Addr))
	}
	if strings.TrimSpace(c.DataDir) == "" {
		errs = append(errs, errors.New("data (PARLEY_DATA): must not be empty"))
	}
	if c.DatabaseURL != "" {
		u, err := url.Parse(c.DatabaseURL)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == "" {
			errs = append(errs, errors.New("database-url (PARLEY_DATABASE_URL): expected postgres://user:password@host:port/dbname"))
		}
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("base-url (PARLEY_BASE_URL): %q is not an http(s) URL", c.BaseURL))
		} else {
			c.BaseURL = strings.TrimRight(c.BaseURL, "/")
		}
	}
	switch strings.ToLower(c.LogLevel) {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("log-level (PARLEY_LOG_LEVEL): %q is not debug, info, warn or error", c.LogLevel))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("log-format (PARLEY_LOG_FORMAT): %q is not text or json", c.LogFormat))
	}
	c.SQLiteSync = strings.ToUpper(c.SQLiteSync)
	if c.SQLiteSync != "FULL" && c.SQLiteSync != "NORMAL" {
		errs = append(errs, fmt.Errorf("sqlite-sync (PARLEY_SQLITE_SYNC): %q is not FULL or NORMAL", c.SQLiteSync))
	}
	for name, d := range map[string]time.Duration{"post-interval (PARLEY_POST_INTERVAL)": c.PostEvery,
		"new-post-interval (PARLEY_NEW_POST_INTERVAL)": c.NewPostEvery, "new-account-age (PARLEY_NEW_ACCOUNT_AGE)": c.NewAccountAge} {
		if d < 0 {
			errs = append(errs, fmt.Errorf("%s: must not be negative", name))
		}
	}
	if c.PageCacheTTL < 0 || c.PageCacheTTL > 5*time.Minute {
		errs = append(errs, fmt.Errorf("page-cache-ttl (PARLEY_PAGE_CACHE_TTL): %s is outside 0s to 5m", c.PageCacheTTL))
	}
	return errors.Join(errs...)
}

// UsesSQLite reports whether the embedded database is in use.
func (c *Config) UsesSQLite() bool { return c.DatabaseURL == "" }

// SQLitePath is the database file inside the data folder.
func (c *Config) SQLitePath() string { return filepath.Join(c.DataDir, "parley.db") }

// EnsureDataDir creates the data folder with private permissions.
func (c *Config) EnsureDataDir() error {
	if err := os.MkdirAll(c.DataDir, 0o750); err != nil {
		return fmt.Errorf("data (PARLEY_DATA): cannot create %s: %w", c.DataDir, err)
	}
	return nil
}
