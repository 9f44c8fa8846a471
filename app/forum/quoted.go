package forum

import (
	"regexp"
	"slices"
	"strconv"
)

// quoteHeader matches the first line Quote writes, "> **@name** [wrote](/p/ID):",
// only at the top level: a quote inside a quote ("> > **@…") is the quoted
// post's business, not a new reply to that older post.
var quoteHeader = regexp.MustCompile(`(?m)^>[ \t]?\*\*@[^*\n]+\*\*[ \t]+\[wrote\]\(/p/([0-9]{1,18})\)`)

// maxQuoted bounds how many quoted posts one body can name, so that a post
// cannot be made into a mass notification by pasting headers.
const maxQuoted = 10

// QuotedPosts returns the ids of the posts a body quotes with Quote's
// header, first appearance first, without repeats.
func QuotedPosts(body string) []int64 {
	var ids []int64
	for _, m := range quoteHeader.FindAllStringSubmatch(body, -1) {
		id, err := strconv.ParseInt(m[1], 10, 64)
		if err != nil || id <= 0 || slices.Contains(ids, id) {
			continue
		}
		ids = append(ids, id)
		if len(ids) == maxQuoted {
			break
		}
	}
	return ids
}
