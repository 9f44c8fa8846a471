package audit

import (
	"context"
	"encoding/csv"
	"io"
	"strconv"
	"time"
)

// CSVHeader is the first line of an export.
var CSVHeader = []string{"id", "created_at", "actor", "actor_role", "action", "target_type", "target_id",
	"target_user", "forum", "reason", "note", "before", "after"}

// Export writes every entry matching f as CSV (RFC 4180, newest first) to
// w, streaming: rows are read in batches and flushed as they go. Text that
// a spreadsheet would run as a formula is defused (see SafeCell).
func (s *Service) Export(ctx context.Context, v Viewer, f Filter, w io.Writer) error {
	if err := CanRead(v); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	n := 0
	err := s.Each(ctx, v, f, func(r Row) error {
		if err := cw.Write(csvRecord(r)); err != nil {
			return err
		}
		if n++; n%exportBatch == 0 {
			cw.Flush()
			return cw.Error()
		}
		return nil
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

func csvRecord(r Row) []string {
	rec := []string{strconv.FormatInt(r.ID, 10), r.CreatedAt.UTC().Format(time.RFC3339), r.ActorName, r.ActorRole,
		r.Action, r.TargetType, strconv.FormatInt(r.TargetID, 10), r.TargetUserName, r.ForumSlug,
		r.Reason, r.Note, string(r.Before), string(r.After)}
	for i := range rec {
		rec[i] = SafeCell(rec[i])
	}
	return rec
}

// SafeCell defuses CSV formula injection: a cell that starts with = + - @
// (or a tab or carriage return, which some spreadsheets skip before
// reading a formula) gets a leading apostrophe, so a reason such as
// "=HYPERLINK(…)" shows as text instead of running when the file is
// opened in a spreadsheet.
func SafeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
