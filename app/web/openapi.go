package web

import (
	_ "embed"
	"net/http"

	"github.com/labstack/echo/v4"
)

// openAPIDoc is the OpenAPI 3.1 description of the JSON API under /api/v1.
// A test keeps it in step with the route table in routes.go.
//
//go:embed openapi.json
var openAPIDoc []byte

// openAPI serves the API description.
func (s *Server) openAPI(c echo.Context) error {
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, openAPIDoc)
}
