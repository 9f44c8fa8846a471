package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	"parley/app/apptest"
	"parley/app/web"
)

// httpMethods are the operation keys of an OpenAPI path item.
var httpMethods = map[string]bool{"get": true, "put": true, "post": true, "delete": true,
	"options": true, "head": true, "patch": true, "trace": true}

var echoParam = regexp.MustCompile(`:([A-Za-z0-9_]+)`)

// fetchOpenAPI reads the document over HTTP, as a client would.
func fetchOpenAPI(t *testing.T, a *apptest.App) map[string]any {
	t.Helper()
	resp, err := http.Get(a.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/v1/openapi.json: status %d: %s", resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	doc := map[string]any{}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatalf("the document is not valid JSON: %v", err)
	}
	return doc
}

// operations lists "METHOD /path" for every operation in the document.
func operations(t *testing.T, doc map[string]any) map[string]map[string]any {
	t.Helper()
	paths, ok := doc["paths"].(map[string]any)
	if !ok {
		t.Fatal("the document has no paths object")
	}
	ops := map[string]map[string]any{}
	for p, item := range paths {
		m, ok := item.(map[string]any)
		if !ok {
			t.Fatalf("path %s is not an object", p)
		}
		for k, v := range m {
			if !httpMethods[k] {
				continue
			}
			op, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("%s %s is not an object", k, p)
			}
			ops[strings.ToUpper(k)+" "+p] = op
		}
	}
	return ops
}

func TestOpenAPIMatchesRoutes(t *testing.T) {
	a := apptest.New(t)
	srv, err := web.New(a.App)
	if err != nil {
		t.Fatal(err)
	}
	routes := map[string]bool{}
	for _, r := range srv.Echo().Routes() {
		// Skip other URL spaces and Echo's internal pseudo-methods
		// (such as "echo_route_not_found").
		if !strings.HasPrefix(r.Path, "/api/v1") || !httpMethods[strings.ToLower(r.Method)] {
			continue
		}
		routes[r.Method+" "+echoParam.ReplaceAllString(r.Path, "{$1}")] = true
	}
	if len(routes) == 0 {
		t.Fatal("no /api/v1 routes found")
	}
	documented := operations(t, fetchOpenAPI(t, a))

	var missing, extra []string
	for r := range routes {
		if documented[r] == nil {
			missing = append(missing, r)
		}
	}
	for op := range documented {
		if !routes[op] {
			extra = append(extra, op)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	for _, r := range missing {
		t.Errorf("route %s is not documented in openapi.json", r)
	}
	for _, op := range extra {
		t.Errorf("openapi.json documents %s, which is not a route", op)
	}
}

func TestOpenAPIDocumentIsWellFormed(t *testing.T) {
	a := apptest.New(t)
	doc := fetchOpenAPI(t, a)
	if v := doc["openapi"]; v != "3.1.0" {
		t.Errorf("openapi = %v, want 3.1.0", v)
	}
	if info, _ := doc["info"].(map[string]any); info["title"] == nil || info["version"] == nil {
		t.Errorf("info needs a title and a version: %v", info)
	}

	ops := operations(t, doc)
	keys := make([]string, 0, len(ops))
	for k := range ops {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	ids := map[string]string{}
	for _, k := range keys {
		op := ops[k]
		id, _ := op["operationId"].(string)
		switch {
		case id == "":
			t.Errorf("%s has no operationId", k)
		case ids[id] != "":
			t.Errorf("operationId %q is used by both %s and %s", id, ids[id], k)
		default:
			ids[id] = k
		}
		resps, _ := op["responses"].(map[string]any)
		has2xx := false
		for code := range resps {
			// 101: a websocket upgrade succeeds by switching protocols.
			if len(code) == 3 && code[0] == '2' || code == "101" {
				has2xx = true
			}
		}
		if !has2xx {
			t.Errorf("%s has no 2xx response", k)
		}
		checkPathParams(t, doc, k, op)
	}

	// Every $ref, wherever it sits, must point at something that exists.
	var walk func(at string, v any)
	walk = func(at string, v any) {
		switch x := v.(type) {
		case map[string]any:
			if r, ok := x["$ref"]; ok {
				s, _ := r.(string)
				if !strings.HasPrefix(s, "#/components/") {
					t.Errorf("%s: $ref %q does not point into components", at, s)
				} else if resolve(doc, s) == nil {
					t.Errorf("%s: $ref %q points at nothing", at, s)
				}
			}
			for k, c := range x {
				walk(at+"/"+k, c)
			}
		case []any:
			for _, c := range x {
				walk(at+"/[]", c)
			}
		}
	}
	walk("#", doc)
}

// checkPathParams makes sure the {params} of a path template and the
// operation's required path parameters are the same set.
func checkPathParams(t *testing.T, doc map[string]any, key string, op map[string]any) {
	t.Helper()
	inPath := map[string]bool{}
	for _, m := range regexp.MustCompile(`\{([^}]+)\}`).FindAllStringSubmatch(key, -1) {
		inPath[m[1]] = true
	}
	declared := map[string]bool{}
	params, _ := op["parameters"].([]any)
	for _, p := range params {
		pm, _ := p.(map[string]any)
		if r, ok := pm["$ref"].(string); ok {
			pm, _ = resolve(doc, r).(map[string]any)
		}
		if pm == nil || pm["in"] != "path" {
			continue
		}
		name, _ := pm["name"].(string)
		if pm["required"] != true {
			t.Errorf("%s: path parameter %q is not required", key, name)
		}
		declared[name] = true
	}
	for n := range inPath {
		if !declared[n] {
			t.Errorf("%s: path parameter {%s} is not declared", key, n)
		}
	}
	for n := range declared {
		if !inPath[n] {
			t.Errorf("%s: declares path parameter %q that is not in the path", key, n)
		}
	}
}

// resolve follows a local JSON pointer ("#/a/b") into doc; nil if absent.
func resolve(doc map[string]any, ref string) any {
	var cur any = doc
	for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		part = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		if cur, ok = m[part]; !ok {
			return nil
		}
	}
	return cur
}
