// Command gen rebuilds e2e/testdata/xss/vectors.json, the XSS corpus of the
// browser tests, from published test vectors that come from package
// registries only:
//
//   - bluemonday v1.0.27 (Go module proxy, BSD-3-Clause): the "in" strings of
//     the XSS-related tests in sanitize_test.go, which include the OWASP XSS
//     filter-evasion cheat sheet and the AntiSamy vectors;
//   - DOMPurify 0.8.0 (npm, MPL-2.0 OR Apache-2.0): the "payload" of every
//     case in test/fixtures/expect.js;
//   - js-xss ("xss" on npm) 0.1.21 (MIT): the first argument of every xss(…)
//     call in test/test_xss.js.
//
// Markdown is what Parley renders, and raw HTML in Markdown is shown as text,
// so the generator also derives Markdown forms of every script-bearing URL
// found in an href/src-like attribute of those vectors ([x](url), ![x](url)
// and <url>); they are marked "derived" and counted apart.
//
// Run it from the repository root (it needs npm and the Go module cache):
//
//	go run ./e2e/testdata/xss/gen
//
// It also copies each source's licence into e2e/testdata/xss/licenses/.
package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

const (
	bluemondayModule = "github.com/microcosm-cc/bluemonday"
	bluemondayVer    = "v1.0.27"
	dompurifyPkg     = "dompurify@0.8.0"
	jsxssPkg         = "xss@0.1.21"
	outDir           = "e2e/testdata/xss"
)

// Vector is one entry of vectors.json.
type Vector struct {
	Source string `json:"source"`
	Vector string `json:"vector"`
}

// The bluemonday tests whose inputs are attack vectors (the others test
// styling, policies and plain text).
var bluemondayTests = map[string]bool{
	"TestLinks": true, "TestDataUri": true, "TestAntiSamy": true, "TestXSS": true,
	"TestIssue111ScriptTags": true, "TestQuotes": true, "TestComments": true,
	"TestHrefSanitization": true, "TestInsertionModeSanitization": true,
	"TestIFrameSandbox": true, "TestXSSGo18": true, "TestIssue3": true,
	"TestIssue9": true, "TestIssue23": true, "TestIssue51": true, "TestIssue55": true,
	"TestIssue85": true, "TestIssue107": true, "TestIssue134": true, "TestIssue146": true,
	"TestIssue147": true, "TestIssue161": true, "TestIssue171": true, "TestIssue174": true,
}

// attack keeps strings that carry markup, a script-bearing URL or an entity;
// it drops the random base64 blobs and plain words some tests also use.
var attack = regexp.MustCompile(`(?i)<|&#|&[a-z]+;|(java|vb|live)script\s*:|data\s*:|expression\s*\(`)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run() error {
	var all []Vector
	bm, err := fromBluemonday()
	if err != nil {
		return err
	}
	all = append(all, bm...)

	tmp, err := os.MkdirTemp("", "parley-xss-gen")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	dp, err := npmFiles(tmp, dompurifyPkg, "package/test/fixtures/expect.js", "package/LICENSE")
	if err != nil {
		return err
	}
	dv, err := fromDOMPurify(dp["package/test/fixtures/expect.js"])
	if err != nil {
		return err
	}
	all = append(all, dv...)
	jx, err := npmFiles(tmp, jsxssPkg, "package/test/test_xss.js", "package/MIT-License")
	if err != nil {
		return err
	}
	all = append(all, fromJSXSS(jx["package/test/test_xss.js"])...)

	// Dedupe (first source wins) and keep only attack-shaped strings.
	seen := map[string]bool{}
	var out []Vector
	counts := map[string]int{}
	for _, v := range all {
		if strings.TrimSpace(v.Vector) == "" || !attack.MatchString(v.Vector) || seen[v.Vector] || !utf8.ValidString(v.Vector) {
			continue
		}
		seen[v.Vector] = true
		out = append(out, v)
		counts[strings.SplitN(v.Source, ":", 2)[0]]++
	}
	published := len(out)
	for _, v := range derive(out) {
		if !seen[v.Vector] {
			seen[v.Vector] = true
			out = append(out, v)
			counts["derived"]++
		}
	}

	// One vector a line, without HTML escaping, so the file reads as the
	// vectors themselves.
	var buf bytes.Buffer
	buf.WriteString("[\n")
	for i, v := range out {
		var line bytes.Buffer
		enc := json.NewEncoder(&line)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			return err
		}
		buf.Write(bytes.TrimRight(line.Bytes(), "\n"))
		if i < len(out)-1 {
			buf.WriteByte(',')
		}
		buf.WriteByte('\n')
	}
	buf.WriteString("]\n")
	if err := os.WriteFile(filepath.Join(outDir, "vectors.json"), buf.Bytes(), 0o644); err != nil {
		return err
	}
	lic := filepath.Join(outDir, "licenses")
	if err := os.MkdirAll(lic, 0o755); err != nil {
		return err
	}
	bmDir, err := moduleDir()
	if err != nil {
		return err
	}
	bmLicense, err := os.ReadFile(filepath.Join(bmDir, "LICENSE.md"))
	if err != nil {
		return err
	}
	for name, data := range map[string][]byte{
		"bluemonday-LICENSE.md": bmLicense,
		"dompurify-LICENSE":     dp["package/LICENSE"],
		"js-xss-MIT-License":    jx["package/MIT-License"],
	} {
		if err := os.WriteFile(filepath.Join(lic, name), data, 0o644); err != nil {
			return err
		}
	}
	fmt.Printf("%d vectors: %d published (bluemonday %d, dompurify %d, js-xss %d) + %d derived Markdown forms\n",
		len(out), published, counts["bluemonday"], counts["dompurify"], counts["js-xss"], counts["derived"])
	return nil
}

func moduleDir() (string, error) {
	out, err := exec.Command("go", "mod", "download", "-json", bluemondayModule+"@"+bluemondayVer).Output()
	if err != nil {
		return "", fmt.Errorf("go mod download %s: %w", bluemondayModule, err)
	}
	var m struct{ Dir string }
	if err := json.Unmarshal(out, &m); err != nil {
		return "", err
	}
	return m.Dir, nil
}

func fromBluemonday() ([]Vector, error) {
	dir, err := moduleDir()
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filepath.Join(dir, "sanitize_test.go"), nil, 0)
	if err != nil {
		return nil, err
	}
	var out []Vector
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || !bluemondayTests[fn.Name.Name] {
			continue
		}
		ast.Inspect(fn, func(n ast.Node) bool {
			kv, ok := n.(*ast.KeyValueExpr)
			if !ok {
				return true
			}
			if k, ok := kv.Key.(*ast.Ident); !ok || k.Name != "in" {
				return true
			}
			lit, ok := kv.Value.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err == nil {
				out = append(out, Vector{Source: "bluemonday:" + fn.Name.Name, Vector: s})
			}
			return true
		})
	}
	return out, nil
}

// npmFiles packs pkg from the npm registry into dir and returns the named
// files of the tarball.
func npmFiles(dir, pkg string, names ...string) (map[string][]byte, error) {
	cmd := exec.Command("npm", "pack", "--silent", "--pack-destination", dir, pkg)
	cmd.Stderr = io.Discard
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("npm pack %s: %w", pkg, err)
	}
	lines := strings.Fields(string(out))
	if len(lines) == 0 {
		return nil, fmt.Errorf("npm pack %s: no file name", pkg)
	}
	f, err := os.Open(filepath.Join(dir, lines[len(lines)-1]))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	got := map[string][]byte{}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if want[h.Name] {
			b, err := io.ReadAll(tr)
			if err != nil {
				return nil, err
			}
			got[h.Name] = b
		}
	}
	for _, n := range names {
		if got[n] == nil {
			return nil, fmt.Errorf("%s: no %s in the tarball", pkg, n)
		}
	}
	return got, nil
}

// fromDOMPurify reads expect.js, a CommonJS module whose array is JSON.
func fromDOMPurify(src []byte) ([]Vector, error) {
	s := string(src)
	i, j := strings.Index(s, "["), strings.LastIndex(s, "]")
	if i < 0 || j < i {
		return nil, fmt.Errorf("dompurify expect.js: no array")
	}
	var cases []struct {
		Title   string `json:"title"`
		Payload string `json:"payload"`
	}
	if err := json.Unmarshal([]byte(s[i:j+1]), &cases); err != nil {
		return nil, fmt.Errorf("dompurify expect.js: %w", err)
	}
	out := make([]Vector, 0, len(cases))
	for _, c := range cases {
		out = append(out, Vector{Source: "dompurify:" + c.Title, Vector: c.Payload})
	}
	return out, nil
}

// fromJSXSS takes the string literal that opens every xss(…) call of
// test_xss.js, skipping commented-out lines.
func fromJSXSS(src []byte) []Vector {
	var out []Vector
	for n, line := range strings.Split(string(src), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "//") {
			continue
		}
		rest := line
		for {
			i := strings.Index(rest, "xss(")
			if i < 0 {
				break
			}
			rest = rest[i+4:]
			if rest == "" || (rest[0] != '\'' && rest[0] != '"') {
				continue
			}
			s, tail, ok := jsString(rest)
			if !ok {
				break
			}
			out = append(out, Vector{Source: fmt.Sprintf("js-xss:test_xss.js:%d", n+1), Vector: s})
			rest = tail
		}
	}
	return out
}

// jsString decodes the JavaScript string literal at the start of s.
func jsString(s string) (val, rest string, ok bool) {
	q := s[0]
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c == q:
			return b.String(), s[i+1:], true
		case c == '\\' && i+1 < len(s):
			i++
			switch e := s[i]; e {
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'v':
				b.WriteByte('\v')
			case '0':
				b.WriteByte(0)
			case 'x', 'u':
				n := 2
				if e == 'u' {
					n = 4
				}
				if i+n < len(s) {
					if r, err := strconv.ParseUint(s[i+1:i+1+n], 16, 32); err == nil {
						b.WriteRune(rune(r))
						i += n
						continue
					}
				}
				b.WriteByte(e)
			default:
				b.WriteByte(e)
			}
		default:
			b.WriteByte(c)
		}
	}
	return "", "", false
}

var (
	urlAttr = regexp.MustCompile(`(?i)\b(?:href|src|lowsrc|dynsrc|background|action|formaction|xlink:href|data|poster)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)`)
	// scriptURL: a script or data scheme, or an entity, before the first
	// '/', '?' or '#' (so "http://x/script.js" does not count).
	scriptURL = regexp.MustCompile(`(?i)^[^/?#]*?(script|data|&#|&[a-z]+;)`)
)

// derive writes the script-bearing URL values of the vectors as Markdown
// links, images and autolinks, the places where Parley itself emits URLs.
func derive(vs []Vector) []Vector {
	var out []Vector
	seen := map[string]bool{}
	for _, v := range vs {
		for _, m := range urlAttr.FindAllStringSubmatch(v.Vector, -1) {
			u := strings.Trim(m[1], `"'`)
			if u == "" || !scriptURL.MatchString(u) || seen[u] || strings.ContainsAny(u, "\n<>") {
				continue
			}
			seen[u] = true
			dest := u
			if strings.ContainsAny(u, " \t()") {
				dest = "<" + u + ">"
			}
			out = append(out,
				Vector{Source: "derived:link:" + v.Source, Vector: "[xss](" + dest + ")"},
				Vector{Source: "derived:image:" + v.Source, Vector: "![xss](" + dest + ")"},
			)
			if !strings.ContainsAny(u, " \t") {
				out = append(out, Vector{Source: "derived:autolink:" + v.Source, Vector: "<" + u + ">"})
			}
		}
	}
	return out
}
