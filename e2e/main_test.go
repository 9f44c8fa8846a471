package e2e

import (
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	code := m.Run()
	CloseBrowser()
	os.Exit(code)
}
