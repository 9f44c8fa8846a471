package e2e

import (
	"net/http"
	"testing"
)

// Story: Ben mentions Anna while she reads another page; her bell counts
// it without a reload.
func TestLiveBell(t *testing.T) {
	site := Start(t)
	site.Member("anna")
	benAPI := site.Member("ben")
	th := site.StartThread(benAPI, "general", "Who has a winter stove?", "Asking around.")

	anna := site.Browser(t, "anna")
	anna.LogIn("anna")
	anna.Visit("/f/general")
	anna.WaitFor(liveJS, "anna's live connection")
	if anna.Count(".js-bell-count") == 0 {
		t.Skip("the layout has no notification bell yet")
	}
	if !anna.Bool(`document.querySelector('.js-bell-count').hidden`) {
		t.Fatalf("the bell shows %q before any notification", anna.Text(".js-bell-count"))
	}
	anna.Eval(`window.__samePage = true`, nil)

	reply(t, benAPI, th, "@anna has the Emberline, ask her.")
	anna.WaitFor(`(() => { const c = document.querySelector('.js-bell-count'); return !c.hidden && c.textContent === '1' && c.dataset.unread === '1'; })()`, "the bell counting the mention")
	if got := anna.Attr(".js-bell", "aria-label"); got != "Notifications, 1 unread" {
		t.Fatalf("bell label %q", got)
	}

	// Reading it elsewhere (another tab, the API) clears the count here too.
	var list struct {
		Notifications []struct{ ID int64 } `json:"notifications"`
	}
	annaAPI := site.Client()
	annaAPI.Login("anna")
	annaAPI.Must(http.StatusOK, "GET", "/api/v1/notifications", nil).JSON(t, &list)
	if len(list.Notifications) != 1 {
		t.Fatalf("%d notifications", len(list.Notifications))
	}
	annaAPI.Must(http.StatusOK, "POST", "/api/v1/notifications/read-all", nil)
	anna.WaitFor(`document.querySelector('.js-bell-count').hidden && document.querySelector('.js-bell-count').dataset.unread === '0'`, "the bell cleared")
	if !anna.Bool(`window.__samePage === true`) {
		t.Fatal("anna's page reloaded")
	}
	anna.NoCSPViolations()
}
