package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"parley/app/errs"
	"parley/app/search"
)

// SearchData: GET /search
type SearchData struct {
	Query string // as typed, to refill the box
	Sort  string // search.SortRelevance or search.SortNewest
	// Error says why the search could not run (bad input); the page shows
	// it above the form instead of results.
	Error     string
	Results   *search.Results // nil without a query or after an error
	Items     []searchItem
	First     int // the number of the first result shown (1-based)
	Last      int // … and of the last
	Pager     []searchPageLink
	Prev      string // URL of the previous page, "" on the first
	Next      string // URL of the next page, "" on the last
	MaxPages  int    // set when there are more pages than one may open
	Relevance string // URL of this search sorted by relevance
	Newest    string // … and by date
}

// searchItem is one result as the page shows it.
type searchItem struct {
	search.Result
	Highlight template.HTML // Result.Snippet, checked (see snippetHTML)
}

// searchPageLink is one entry of the numbered pager; N 0 is a gap.
type searchPageLink struct {
	N       int
	URL     string
	Current bool
}

// searchPage answers GET /search: the form, and one page of results the
// viewer may see. It is never cached: results depend on the viewer's
// forums. Bad input (a query the parser refuses, a bad page or sort) is
// shown on the page with the status the JSON API gives (400).
func (s *Server) searchPage(c echo.Context) error {
	d := SearchData{Query: c.QueryParam("q"), Sort: c.QueryParam("sort")}
	if d.Sort == "" {
		d.Sort = search.SortRelevance
	}
	title := "Search"
	if strings.TrimSpace(d.Query) == "" && c.QueryParam("page") == "" && (d.Sort == search.SortRelevance || d.Sort == search.SortNewest) {
		return s.render(c, http.StatusOK, "search", title, d, nil) // the empty form and its help
	}
	title = "Search: " + strings.TrimSpace(d.Query)
	page, err := pageParam(c)
	if err == nil {
		d.Results, err = s.a.Search.Search(c.Request().Context(), viewer(c), d.Query, page, c.QueryParam("sort"))
	}
	if e, ok := errs.As(err); ok {
		d.Results, d.Error = nil, e.Message
		if d.Sort != search.SortNewest {
			d.Sort = search.SortRelevance // the form does not carry a bad sort on
		}
		return s.render(c, statusOf(e.Kind), "search", title, d, nil)
	}
	if err != nil {
		return err
	}
	d.fill()
	return s.render(c, http.StatusOK, "search", title, d, nil)
}

// fill works out what the template shows from d.Results: the items with
// their checked snippets, the counts, the sort links and the pager.
func (d *SearchData) fill() {
	r := d.Results
	d.Sort = r.Sort
	d.Items = make([]searchItem, len(r.Results))
	for i, res := range r.Results {
		d.Items[i] = searchItem{Result: res, Highlight: snippetHTML(res.Snippet)}
	}
	if len(r.Results) > 0 {
		d.First = (r.Page-1)*search.PageSize + 1
		d.Last = d.First + len(r.Results) - 1
	}
	d.Relevance = searchURL(d.Query, search.SortRelevance, 1)
	d.Newest = searchURL(d.Query, search.SortNewest, 1)
	pages := r.Pages
	if pages > search.MaxPage {
		pages, d.MaxPages = search.MaxPage, search.MaxPage
	}
	if pages <= 1 {
		return
	}
	for _, n := range pageRange(r.Page, pages) {
		l := searchPageLink{N: n, Current: n == r.Page}
		if n > 0 {
			l.URL = searchURL(d.Query, r.Sort, n)
		}
		d.Pager = append(d.Pager, l)
	}
	if r.Page > 1 && r.Page <= pages {
		d.Prev = searchURL(d.Query, r.Sort, r.Page-1)
	}
	if r.Page < pages {
		d.Next = searchURL(d.Query, r.Sort, r.Page+1)
	}
}

// searchURL is the address of one page of a search; the defaults (first
// page, by relevance) are left out.
func searchURL(q, sort string, page int) string {
	v := url.Values{"q": {q}}
	if sort != search.SortRelevance {
		v.Set("sort", sort)
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	return "/search?" + v.Encode()
}

// snippetMarks are the only tags a search snippet may hold.
var snippetMarks = strings.NewReplacer("<mark>", "", "</mark>", "")

// snippetHTML marks a search snippet as HTML. Package search builds it from
// the post's plain text, HTML-escaped, adding only <mark> and </mark>
// around matches (snippet.go). That is checked here again before the
// template trusts it: a snippet with any other markup is shown as text.
func snippetHTML(s string) template.HTML {
	if strings.ContainsAny(snippetMarks.Replace(s), "<>") {
		return template.HTML(template.HTMLEscapeString(s)) //nolint:gosec // escaped just here
	}
	return template.HTML(s) //nolint:gosec // escaped text and <mark> only, checked just above
}
