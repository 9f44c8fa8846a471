package web

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"slices"
	"strings"
	"text/template/parse"
	"time"
)

// Theme layout inside the themes file system.
const (
	themeRoot     = "default"
	themeLayout   = themeRoot + "/layout.html"
	themePartials = themeRoot + "/partials/*.html"
	themePages    = themeRoot + "/pages/*.html"
)

// Templates holds every page template parsed at boot (a missing or broken template stops start-up).
type Templates struct {
	pages map[string]*template.Template // page name ("thread") -> its own set
}

// LoadTemplates parses themes from fsys (rooted so that "default/layout.html" exists). Each page file default/pages/NAME.html is parsed together with default/layout.html and default/partials/*.html into its own template set.
//
// Every page is also escaped once here (html/template does that lazily on
// first use), so a reference to a missing template or markup that leaves
// html/template unsure of the context fails start-up, not a request.
func LoadTemplates(fsys fs.FS, now func() time.Time) (*Templates, error) {
	layout, err := fs.ReadFile(fsys, themeLayout)
	if err != nil {
		return nil, fmt.Errorf("web: templates: %w", err)
	}
	partials, err := fs.Glob(fsys, themePartials)
	if err != nil {
		return nil, fmt.Errorf("web: templates: %w", err)
	}
	pages, err := fs.Glob(fsys, themePages)
	if err != nil {
		return nil, fmt.Errorf("web: templates: %w", err)
	}
	if len(pages) == 0 {
		return nil, fmt.Errorf("web: templates: no pages match %s", themePages)
	}
	shared := map[string][]byte{themeLayout: layout}
	for _, p := range partials {
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, fmt.Errorf("web: templates: %w", err)
		}
		shared[p] = b
	}
	order := append([]string{themeLayout}, partials...) // layout first: pages override its blocks
	t := &Templates{pages: make(map[string]*template.Template, len(pages))}
	for _, file := range pages {
		name := strings.TrimSuffix(path.Base(file), ".html")
		src, err := fs.ReadFile(fsys, file)
		if err != nil {
			return nil, fmt.Errorf("web: templates: %w", err)
		}
		set := template.New(file).Funcs(funcMap(now)).Option("missingkey=zero")
		for _, f := range order {
			if _, err := set.New(f).Parse(string(shared[f])); err != nil {
				return nil, fmt.Errorf("web: templates: page %q: %w", name, err)
			}
		}
		if _, err := set.Parse(string(src)); err != nil {
			return nil, fmt.Errorf("web: templates: page %q: %w", name, err)
		}
		if err := checkRefs(set); err != nil {
			return nil, fmt.Errorf("web: templates: page %q: %w", name, err)
		}
		if err := escapeNow(set, file); err != nil {
			return nil, fmt.Errorf("web: templates: page %q: %w", name, err)
		}
		t.pages[name] = set
	}
	return t, nil
}

// checkRefs reports {{template "x"}} calls to templates the set lacks, in
// any of its templates (html/template only notices the ones a run reaches).
func checkRefs(set *template.Template) error {
	defined := map[string]bool{}
	for _, t := range set.Templates() {
		if t.Tree != nil && t.Tree.Root != nil {
			defined[t.Name()] = true
		}
	}
	var missing []string
	for _, t := range set.Templates() {
		if t.Tree == nil {
			continue
		}
		walkTemplateCalls(t.Tree.Root, func(n *parse.TemplateNode) {
			if !defined[n.Name] {
				missing = append(missing, fmt.Sprintf("%q (called from %s line %d)", n.Name, t.Tree.ParseName, n.Line))
			}
		})
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		missing = slices.Compact(missing)
		return fmt.Errorf("missing template %s", strings.Join(missing, ", "))
	}
	return nil
}

// walkTemplateCalls calls f for every {{template}} node under n.
func walkTemplateCalls(n parse.Node, f func(*parse.TemplateNode)) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n != nil {
			for _, c := range n.Nodes {
				walkTemplateCalls(c, f)
			}
		}
	case *parse.TemplateNode:
		f(n)
	case *parse.IfNode:
		walkTemplateCalls(n.List, f)
		walkTemplateCalls(n.ElseList, f)
	case *parse.RangeNode:
		walkTemplateCalls(n.List, f)
		walkTemplateCalls(n.ElseList, f)
	case *parse.WithNode:
		walkTemplateCalls(n.List, f)
		walkTemplateCalls(n.ElseList, f)
	}
}

// errProbe stops the trial run of escapeNow at its first write.
var errProbe = errors.New("probe")

type probeWriter struct{}

func (probeWriter) Write([]byte) (int, error) { return 0, errProbe }

// escapeNow makes html/template escape the whole page now. Escaping happens
// before anything is executed, so a writer that fails at once stops the
// run right after it, without touching any data.
func escapeNow(set *template.Template, root string) error {
	err := set.ExecuteTemplate(probeWriter{}, root, &Page{})
	var terr *template.Error
	if err == nil || errors.Is(err, errProbe) || !errors.As(err, &terr) {
		return nil // escaped fine; any other error is about the empty data
	}
	return err
}

// Render executes page NAME (e.g. "thread") with p as dot into buf. On an
// error buf is cut back to what it held before, so a template error never
// sends half a page.
func (t *Templates) Render(buf *bytes.Buffer, name string, p *Page) error {
	set, ok := t.pages[name]
	if !ok {
		return fmt.Errorf("web: no page template %q", name)
	}
	start := buf.Len()
	if err := set.Execute(buf, p); err != nil {
		buf.Truncate(start)
		return fmt.Errorf("web: page %q: %w", name, err)
	}
	return nil
}

// Has reports whether a page exists.
func (t *Templates) Has(name string) bool {
	_, ok := t.pages[name]
	return ok
}
