package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"parley/app/errs"
	"parley/app/forum"
	"parley/app/moderation"
)

// option is a value of a select or radio group with its label.
type option struct{ Value, Label string }

func reasonOptions() []option {
	var out []option
	for _, r := range moderation.Reasons() {
		out = append(out, option{r, moderation.ReasonLabel(r)})
	}
	return out
}

func reasonLabels() map[string]string {
	m := map[string]string{}
	for _, r := range moderation.Reasons() {
		m[r] = moderation.ReasonLabel(r)
	}
	return m
}

// ModQueueData: GET /mod/queue
type ModQueueData struct {
	Queue        *moderation.Queue
	Stats        *moderation.Stats
	Filter       moderation.QueueFilter
	Forums       []forum.ForumView // for the forum filter
	Kinds        []string
	Reasons      []option
	ReasonLabels map[string]string
	Languages    []string
	// Oldest and Median are the figures in words ("3 h 12 min").
	Oldest, Median string
	Threshold      float64
	ClaimMinutes   int
	// More is the link to the next page (the filters and the cursor).
	More      string
	LastEvent int64 // see Server.liveFrom
}

// FlagData: GET /p/:id/flag
type FlagData struct {
	Post    *forum.PostView
	Thread  *forum.ThreadView
	Reasons []option
}

func (s *Server) modQueuePage(c echo.Context) error {
	f, err := queueFilter(c)
	if err != nil {
		return err
	}
	return s.showQueue(c, f, http.StatusOK, nil)
}

// showQueue renders the queue; fe carries a failed action's message.
func (s *Server) showQueue(c echo.Context, f moderation.QueueFilter, status int, fe *form) error {
	ctx, v := c.Request().Context(), viewer(c)
	last := s.liveFrom(c)
	m := s.a.Moderation
	q, err := m.Queue(ctx, v, f)
	if err != nil {
		return err
	}
	st, err := m.Stats(ctx, v)
	if err != nil {
		return err
	}
	fs, err := s.a.Forum.Forums(ctx, v)
	if err != nil {
		return err
	}
	set, err := s.a.Site.Moderation(ctx)
	if err != nil {
		return err
	}
	d := ModQueueData{Queue: q, Stats: st, Filter: f, Forums: fs, Kinds: moderation.Kinds(), Reasons: reasonOptions(),
		ReasonLabels: reasonLabels(), Languages: forum.Languages(), Oldest: "—", Median: "—", Threshold: set.FlagThreshold,
		ClaimMinutes: int(m.ClaimFor() / time.Minute), LastEvent: last}
	if st.OldestAt != nil {
		d.Oldest = duration(time.Duration(st.OldestAgeSeconds) * time.Second)
	}
	if st.MedianFirstActionSeconds != nil {
		d.Median = duration(time.Duration(*st.MedianFirstActionSeconds) * time.Second)
	}
	if q.NextCursor != "" {
		qs := c.QueryParams()
		next := url.Values{}
		for _, k := range []string{"type", "forum", "reason", "language", "assignee", "limit"} {
			if v := qs.Get(k); v != "" {
				next.Set(k, v)
			}
		}
		next.Set("cursor", q.NextCursor)
		d.More = "/mod/queue?" + next.Encode()
	}
	return s.render(c, status, "mod_queue", "Review queue", d, fe)
}

// duration says a span in words a moderator reads at a glance.
func duration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "under a minute"
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h %d min", int(d/time.Hour), int(d%time.Hour/time.Minute))
	}
	return fmt.Sprintf("%d days", int(d/(24*time.Hour)))
}

// modClaimSubmit claims an item, or releases it when release=1 (the
// queue's buttons without JavaScript).
func (s *Server) modClaimSubmit(c echo.Context) error {
	id, err := pathID(c, "id", "review item")
	if err != nil {
		return err
	}
	ctx, v, m := c.Request().Context(), viewer(c), s.a.Moderation
	msg := "Claimed for " + strconv.Itoa(int(m.ClaimFor()/time.Minute)) + " minutes."
	if c.FormValue("release") == "1" {
		_, err = m.Release(ctx, v, id)
		msg = "Released."
	} else {
		_, err = m.Claim(ctx, v, id)
	}
	if err != nil {
		return s.queueFormError(c, err)
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/mod/queue?flash=%s#item-%d", url.QueryEscape(msg), id))
}

// modActSubmit takes an action from the queue's form.
func (s *Server) modActSubmit(c echo.Context) error {
	id, err := pathID(c, "id", "review item")
	if err != nil {
		return err
	}
	in := moderation.ActionInput{Action: c.FormValue("action"), Note: c.FormValue("note")}
	it, err := s.a.Moderation.Act(c.Request().Context(), viewer(c), id, in)
	if err != nil {
		return s.queueFormError(c, err)
	}
	msg := "Done: " + in.Action + "."
	if it.Resolution != "" {
		msg = "Resolved: " + it.Resolution + "."
	}
	return c.Redirect(http.StatusSeeOther, "/mod/queue?flash="+url.QueryEscape(msg))
}

// queueFormError shows a refused claim or action above the queue with its
// status (409 for a claim by someone else, 403, 422); a missing item and
// other errors go to the error handler.
func (s *Server) queueFormError(c echo.Context, err error) error {
	fe, st, ok := formError(err, nil)
	if !ok {
		return err
	}
	return s.showQueue(c, moderation.QueueFilter{}, st, fe)
}

func (s *Server) flagPage(c echo.Context) error {
	p, t, err := s.flagTarget(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "flag", "Flag post", FlagData{Post: p, Thread: t, Reasons: reasonOptions()}, nil)
}

// flagTarget loads the post a flag form is about, refusing one's own post
// and deleted posts before the form is shown.
func (s *Server) flagTarget(c echo.Context) (*forum.PostView, *forum.ThreadView, error) {
	id, err := pathID(c, "id", "post")
	if err != nil {
		return nil, nil, err
	}
	v := viewer(c)
	p, t, err := s.a.Forum.PostByID(c.Request().Context(), v, id)
	if err != nil {
		return nil, nil, err
	}
	if p.Author.ID == v.ID {
		return nil, nil, errs.Forbidden("you cannot flag your own post")
	}
	if p.Deleted {
		return nil, nil, errs.Conflict("this post was deleted; there is nothing left to flag")
	}
	return p, t, nil
}

func (s *Server) flagSubmit(c echo.Context) error {
	id, err := pathID(c, "id", "post")
	if err != nil {
		return err
	}
	ctx, v := c.Request().Context(), viewer(c)
	in := moderation.FlagInput{Reason: c.FormValue("reason"), Note: c.FormValue("note")}
	values := map[string]string{"reason": in.Reason, "note": in.Note, "section": c.FormValue("section")}
	if sec := c.FormValue("section"); sec != "" && in.Reason == moderation.ReasonGuideline {
		n, err := strconv.Atoi(sec)
		if err != nil {
			n = -1 // Validate explains
		}
		in.Section = &n
	}
	_, err = s.a.Moderation.Flag(ctx, v, id, in)
	if fe, st, ok := formError(err, values); ok && !errs.Is(err, errs.KindUnauthenticated) {
		p, t, perr := s.a.Forum.PostByID(ctx, v, id)
		if perr != nil {
			return perr
		}
		return s.render(c, st, "flag", "Flag post", FlagData{Post: p, Thread: t, Reasons: reasonOptions()}, fe)
	}
	if err != nil {
		return err
	}
	p, _, err := s.a.Forum.PostByID(ctx, v, id)
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/t/%d?page=%d&flash=%s#p%d", p.ThreadID, forum.PageOf(p.Number),
		url.QueryEscape("Thank you. The moderators will look at this post."), p.Number))
}
