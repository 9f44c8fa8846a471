package render

import (
	"testing"
	"unicode/utf8"
)

// benchPost is a realistic ~1,500 character forum post: a quote, a list, a
// link, inline and fenced code and two mentions.
const benchPost = `## Upgrading to 2.4 broke my import job

Hi all, after upgrading from **2.3.1** to 2.4 last night my nightly import stopped working. @alice mentioned in the release thread that the config format changed:

> The ` + "`batch_size`" + ` option is now called ` + "`batch`" + ` and must be a number,
> not a string. Old configs are rejected at start-up.

So I changed that, but it still fails. What I tried so far:

- renamed the option as described above
- cleared the cache directory (` + "`~/.cache/importer`" + `)
- ran it by hand with ` + "`--verbose`" + `, which prints the error below
- checked the [upgrade guide](https://example.com/docs/upgrade-2.4#config) twice

Here is the relevant part of the config and the error:

` + "```yaml" + `
importer:
  batch: 500
  source: "s3://bucket/exports/"
  retries: 3
` + "```" + `

` + "```" + `
error: field "timeout" is required (got <nil>)
` + "```" + `

I never had a timeout option before, and the docs don't mention it. Is it new in 2.4, and what is a sensible default for large exports (about 2 GB a night)? Happy to send the full log if that helps.

Some more context in case it matters: the job runs in a container on a small VM with 2 CPUs and 4 GB of memory, the exports are gzip-compressed CSV files, and the database is PostgreSQL 16. Nothing else changed on that machine in the last month, and the previous version has been running there without problems since spring.

Thanks in advance, and thanks @bob for the quick fix for the CSV quoting bug last week — that one works perfectly now. I will post an update here once I get this running again.
`

func BenchmarkRender(b *testing.B) {
	r := New()
	if n := utf8.RuneCountInString(benchPost); n < 1400 || n > 1700 {
		b.Fatalf("benchPost has %d runes, want about 1,500", n)
	}
	b.SetBytes(int64(len(benchPost)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Render(benchPost, users); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMentions(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Mentions(benchPost)
	}
}
