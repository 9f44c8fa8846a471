package search

import (
	"strconv"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/lang/de"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"

	"parley/app/forum"
	"parley/app/render"
)

// MappingVersion names the shape of the index. Change it with any change to
// the mapping or to what a document holds: an index of another version is
// rebuilt from the database on start.
const MappingVersion = "1"

// Field names. Text is indexed once per language under its own field name
// (body_en, body_de …) so that each is analysed, and queried, with its
// language's stemmer and stop words; a query asks every language field, so
// mixed-language sites work. Nothing is stored: results are read from the
// database for the page shown, and the index stays small.
const (
	fForum   = "forum"   // forum id: the permission filter, forum:slug
	fThread  = "thread"  // thread id
	fAuthor  = "author"  // user id: author:name (survives renames)
	fCreated = "created" // date: before:/after:, sort by newest
	fReacted = "reacted" // has:reactions
	fLang    = "lang"    // the analyzer the text went through
	fSuggest = "suggest" // thread titles (first posts only), lower-cased words for suggestions
)

// Internal keys kept inside the index, written in the same batch as the
// documents they describe.
const (
	keyCheckpoint = "checkpoint" // last applied event id
	keyVersion    = "version"    // MappingVersion, written when a build completes
)

// analyzers maps a forum language to the Bleve analyzer for it.
func analyzers() map[string]string {
	return map[string]string{"en": en.AnalyzerName, "de": de.AnalyzerName}
}

func bodyField(lang string) string  { return "body_" + lang }
func titleField(lang string) string { return "title_" + lang }

// newMapping builds the explicit mapping: only what is searched or
// filtered is indexed, no _all field and no dynamic fields.
func newMapping() (*mapping.IndexMappingImpl, error) {
	im := bleve.NewIndexMapping()
	im.IndexDynamic, im.StoreDynamic, im.DocValuesDynamic = false, false, false
	if err := im.AddCustomAnalyzer("suggest", map[string]any{
		"type": custom.Name, "tokenizer": unicode.Name, "token_filters": []any{lowercase.Name},
	}); err != nil {
		return nil, err
	}
	dm := bleve.NewDocumentStaticMapping()
	keyword := func() *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Store, f.IncludeInAll, f.IncludeTermVectors, f.DocValues = false, false, false, false
		return f
	}
	for _, name := range []string{fForum, fThread, fAuthor, fLang} {
		dm.AddFieldMappingsAt(name, keyword())
	}
	created := bleve.NewDateTimeFieldMapping()
	created.Store, created.IncludeInAll = false, false
	created.DocValues = true // sort by newest
	dm.AddFieldMappingsAt(fCreated, created)
	reacted := bleve.NewBooleanFieldMapping()
	reacted.Store, reacted.IncludeInAll, reacted.DocValues = false, false, false
	dm.AddFieldMappingsAt(fReacted, reacted)
	text := func(analyzer string, vectors bool) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = analyzer
		f.Store, f.IncludeInAll, f.DocValues = false, false, false
		f.IncludeTermVectors = vectors // positions: phrases and snippets
		return f
	}
	for lang, an := range analyzers() {
		dm.AddFieldMappingsAt(bodyField(lang), text(an, true))
		dm.AddFieldMappingsAt(titleField(lang), text(an, true))
	}
	dm.AddFieldMappingsAt(fSuggest, text("suggest", false))
	im.DefaultMapping = dm
	im.DefaultAnalyzer = en.AnalyzerName
	return im, nil
}

// bodyRunes caps the text indexed per post; snippets are cut from the same
// prefix, so their offsets agree.
const bodyRunes = 100_000

// plain is the text of a post as the index sees it.
func plain(html string) string { return render.PlainText(html, bodyRunes) }

// docID is the index's id for a post.
func docID(postID int64) string { return strconv.FormatInt(postID, 10) }

// document is what the index holds for one post. Titles go with first
// posts only, so a title matches once per thread.
func document(d *forum.SearchDoc) map[string]any {
	lang := d.Language
	if _, ok := analyzers()[lang]; !ok {
		lang = forum.DefaultLanguage
	}
	doc := map[string]any{
		fForum:          strconv.FormatInt(d.ForumID, 10),
		fThread:         strconv.FormatInt(d.ThreadID, 10),
		fAuthor:         strconv.FormatInt(d.UserID, 10),
		fLang:           lang,
		fCreated:        d.CreatedAt,
		fReacted:        d.Reactions > 0,
		bodyField(lang): plain(d.HTML),
	}
	if d.Number == 1 {
		doc[titleField(lang)] = d.Title
		doc[fSuggest] = d.Title
	}
	return doc
}
