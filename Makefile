# Parley — the four everyday commands. See README.md.
GO ?= go
GOLANGCI_VERSION ?= v2.6.2
# A count of executions, not a duration: with a duration, Go's fuzz
# coordinator can report "context deadline exceeded" as a failure when a
# starved worker is mid-call at the deadline (golang/go#75804, fixed in Go
# 1.27). 20,000 calls take 1-10 s per target here.
FUZZTIME ?= 20000x
# A fresh corpus cache per target: with Go's shared cache ($GOCACHE/fuzz)
# the baseline grows with every run on a machine until gathering it alone
# outlasts -fuzztime and the target fails. Long runs can keep one:
# make fuzz FUZZTIME=5m FUZZCACHE=$$(go env GOCACHE)/fuzz
FUZZCACHE ?= $(shell mktemp -d /tmp/parley-fuzz.XXXXXX)

.PHONY: run test test-go fuzz lint bench bench-load bench-ws bench-search build

run: ## start the forum with demo content on the embedded default (SQLite in ./data)
	$(GO) run ./cmd/parley serve --demo

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "-s -w -X main.version=$$(git describe --always --dirty 2>/dev/null || echo dev)" -o bin/parley ./cmd/parley

test: test-go fuzz ## the whole suite: every Go test, then each fuzz target for a few seconds

test-go:
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 15m ./...

fuzz: ## run every fuzz target briefly (FUZZTIME=5m make fuzz for a longer run)
	$(GO) test -run '^$$' -fuzz '^FuzzRender$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 5s ./app/render -test.fuzzcachedir=$(FUZZCACHE)
	$(GO) test -run '^$$' -fuzz '^FuzzMentions$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 5s ./app/render -test.fuzzcachedir=$(FUZZCACHE)
	$(GO) test -run '^$$' -fuzz '^FuzzNormalizeUsername$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 5s ./app/auth -test.fuzzcachedir=$(FUZZCACHE)
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeJSON$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 5s ./app/web -test.fuzzcachedir=$(FUZZCACHE)
	$(GO) test -run '^$$' -fuzz '^FuzzCacheRequest$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 5s ./app/web -test.fuzzcachedir=$(FUZZCACHE)
	$(GO) test -run '^$$' -fuzz '^FuzzParseChannel$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 5s ./app/realtime -test.fuzzcachedir=$(FUZZCACHE)
	$(GO) test -run '^$$' -fuzz '^FuzzParseQuery$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 5s ./app/search -test.fuzzcachedir=$(FUZZCACHE)
	$(GO) test -run '^$$' -fuzz '^FuzzDiff$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 5s ./app/guidelines -test.fuzzcachedir=$(FUZZCACHE)

lint: ## gofmt, go vet and golangci-lint (built from the module proxy at a pinned version)
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); echo "run gofmt -w on the files above"; exit 1)
	$(GO) vet ./...
	$(GO) run github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_VERSION) run ./...

bench: ## Go benchmarks plus a short load run (figures go to docs/benchmarks.md)
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 2s ./app/...
	$(MAKE) bench-load

BENCH_POSTS ?= 50000
BENCH_DIR ?= /tmp/parley-bench
bench-load: ## build BENCH_POSTS posts, start the server, drive it for 10 s on 127.0.0.1
	rm -rf $(BENCH_DIR) && mkdir -p $(BENCH_DIR)
	$(GO) build -o $(BENCH_DIR)/parley ./cmd/parley
	$(GO) build -o $(BENCH_DIR)/parley-load ./cmd/parley-load
	$(BENCH_DIR)/parley-load build --data $(BENCH_DIR)/data --posts $(BENCH_POSTS)
	$(BENCH_DIR)/parley serve --data $(BENCH_DIR)/data --addr 127.0.0.1:18181 --log-level warn & echo $$! > $(BENCH_DIR)/pid; \
	for i in $$(seq 1 50); do curl -fs http://127.0.0.1:18181/readyz >/dev/null 2>&1 && break; sleep 0.2; done; \
	$(BENCH_DIR)/parley-load run --url http://127.0.0.1:18181 --data $(BENCH_DIR)/data --duration 10s --concurrency 16 \
	  --mix "thread_html=40,thread_json=20,forum_list=20,reply=15,react=5" --pid $$(cat $(BENCH_DIR)/pid) --json $(BENCH_DIR)/result.json; \
	rc=$$?; kill $$(cat $(BENCH_DIR)/pid); exit $$rc

WS_CLIENTS ?= 1000
bench-ws: ## WS_CLIENTS websocket clients watch one thread of a BENCH_POSTS set while 50 replies are posted (127.0.0.1)
	mkdir -p $(BENCH_DIR)
	$(GO) build -o $(BENCH_DIR)/parley ./cmd/parley
	$(GO) build -o $(BENCH_DIR)/parley-load ./cmd/parley-load
	test -f $(BENCH_DIR)/data/load-manifest.json || $(BENCH_DIR)/parley-load build --data $(BENCH_DIR)/data --posts $(BENCH_POSTS)
	$(BENCH_DIR)/parley reindex --data $(BENCH_DIR)/data >/dev/null
	$(BENCH_DIR)/parley serve --data $(BENCH_DIR)/data --addr 127.0.0.1:18182 --log-level warn & echo $$! > $(BENCH_DIR)/ws-pid; \
	for i in $$(seq 1 50); do curl -fs http://127.0.0.1:18182/readyz >/dev/null 2>&1 && break; sleep 0.2; done; \
	$(BENCH_DIR)/parley-load watch --url http://127.0.0.1:18182 --data $(BENCH_DIR)/data --clients $(WS_CLIENTS) --replies 50 \
	  --pid $$(cat $(BENCH_DIR)/ws-pid) --quiet --json $(BENCH_DIR)/ws-result.json; \
	rc=$$?; kill $$(cat $(BENCH_DIR)/ws-pid); exit $$rc

bench-search: ## search and suggestion latency by kind of query on a BENCH_POSTS set, 2 s per kind, one searcher then 8 (127.0.0.1)
	mkdir -p $(BENCH_DIR)
	$(GO) build -o $(BENCH_DIR)/parley ./cmd/parley
	$(GO) build -o $(BENCH_DIR)/parley-load ./cmd/parley-load
	test -f $(BENCH_DIR)/data/load-manifest.json || $(BENCH_DIR)/parley-load build --data $(BENCH_DIR)/data --posts $(BENCH_POSTS)
	$(BENCH_DIR)/parley reindex --data $(BENCH_DIR)/data
	du -sh $(BENCH_DIR)/data/search
	$(BENCH_DIR)/parley serve --data $(BENCH_DIR)/data --addr 127.0.0.1:18183 --log-level warn & echo $$! > $(BENCH_DIR)/search-pid; \
	for i in $$(seq 1 50); do curl -fs http://127.0.0.1:18183/readyz >/dev/null 2>&1 && break; sleep 0.2; done; \
	rc=0; for c in 1 8; do $(BENCH_DIR)/parley-load search --url http://127.0.0.1:18183 --data $(BENCH_DIR)/data --duration 2s --warmup 1s \
	  --concurrency $$c --pid $$(cat $(BENCH_DIR)/search-pid) --quiet --json $(BENCH_DIR)/search-c$$c.json || { rc=$$?; break; }; done; \
	kill $$(cat $(BENCH_DIR)/search-pid); exit $$rc
