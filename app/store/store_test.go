package store_test

import (
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"

	"parley/migrations"
)

// The SQLite and PostgreSQL migrations must stay in step: the same versions,
// the same tables and the same columns.
func TestMigrationDialectsInStep(t *testing.T) {
	list := func(dir string) []string {
		var names []string
		entries, err := fs.ReadDir(migrations.FS, dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			names = append(names, e.Name())
		}
		return names
	}
	lite, pg := list("sqlite"), list("postgres")
	if !slices.Equal(lite, pg) {
		t.Fatalf("migration files differ:\nsqlite:   %v\npostgres: %v", lite, pg)
	}
	table := regexp.MustCompile(`(?m)^CREATE TABLE (\w+) \(`)
	column := regexp.MustCompile(`(?m)^    (\w+) `)
	index := regexp.MustCompile(`(?m)^CREATE (?:UNIQUE )?INDEX (\w+) ON (\w+) \(([^)]*)\)`)
	added := regexp.MustCompile(`(?m)^ALTER TABLE (\w+) ADD COLUMN (\w+) `)
	shape := func(src string) []string {
		var out []string
		for _, block := range strings.Split(src, "CREATE TABLE ")[1:] {
			name := strings.Fields(block)[0]
			body := block[:strings.Index(block, ");")]
			for _, c := range column.FindAllStringSubmatch(body, -1) {
				out = append(out, name+"."+c[1])
			}
		}
		for _, m := range added.FindAllStringSubmatch(src, -1) {
			out = append(out, m[1]+"."+m[2])
		}
		for _, m := range index.FindAllStringSubmatch(src, -1) {
			out = append(out, "index "+m[1]+" on "+m[2]+"("+m[3]+")")
		}
		return out
	}
	for _, name := range lite {
		a, _ := fs.ReadFile(migrations.FS, "sqlite/"+name)
		b, _ := fs.ReadFile(migrations.FS, "postgres/"+name)
		if len(table.FindAll(a, -1)) != len(table.FindAll(b, -1)) {
			t.Errorf("%s: different numbers of tables", name)
		}
		sa, sb := shape(string(a)), shape(string(b))
		if !slices.Equal(sa, sb) {
			t.Errorf("%s: schemas differ:\nsqlite:   %v\npostgres: %v", name, sa, sb)
		}
		if len(sa) == 0 {
			t.Errorf("%s: parsed no columns; the check would pass vacuously", name)
		}
	}
}
