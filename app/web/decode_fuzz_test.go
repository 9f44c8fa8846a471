package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"parley/app/errs"
	"parley/app/forum"
)

// FuzzDecodeJSON: any body decodes or fails with a client error (never a
// panic, never an error the handler would report as a 500).
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{`{"title":"t","body":"b"}`, `{"title":1}`, `[]`, `null`, `{"pinned":"yes"}`, ``, `{`, `{"a":{"b":[1,2,{"c":null}]}}`, "\x00", `{"body":"\u0000"}`, `{} {}`} {
		f.Add(s)
	}
	e := echo.New()
	f.Fuzz(func(t *testing.T, body string) {
		for _, v := range []any{&forum.ThreadInput{}, &forum.ThreadPatch{}, &forum.ForumInput{}} {
			req := httptest.NewRequest(http.MethodPost, "/api/v1/x", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			c := e.NewContext(req, httptest.NewRecorder())
			err := decodeJSON(c, v)
			if err == nil {
				continue
			}
			ee, ok := errs.As(err)
			if !ok || (ee.Kind != errs.KindBadRequest && ee.Kind != errs.KindInvalid && ee.Kind != errs.KindTooLarge) {
				t.Fatalf("body %q: unclassified error %v", body, err)
			}
		}
	})
}
