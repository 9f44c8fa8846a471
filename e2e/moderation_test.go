package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"parley/app/auth"
)

// modItemJS finds the queue card whose post contains text.
func modItemJS(text string) string {
	return fmt.Sprintf(`[...document.querySelectorAll('.mod-item')].find(li => li.querySelector('.mod-post') && li.querySelector('.mod-post').textContent.includes(%s))`, jsString(text))
}

// Story: Fiona flags a spam post. The site hides a post at the first
// member's flag (an admin set the threshold to 1), so the post disappears
// at once and Wes, its author, is told on his bell. Anna and Ben, two
// moderators, have the review queue open: the item arrives in both without
// a reload. Anna claims it with the keyboard and Ben sees her claim live;
// she approves it, it vanishes from Ben's queue, and the post is back.
func TestModerationQueueLive(t *testing.T) {
	site := Start(t)
	wes := site.Member("wes")
	site.Member("fiona")
	site.User("mod_anna", auth.RoleModerator)
	site.User("mod_ben", auth.RoleModerator)
	site.API().Must(http.StatusOK, "PATCH", "/api/v1/mod/settings", map[string]float64{"flag_threshold": 1})
	th := site.StartThread(wes, "general", "Boots for half the price", "Buy cheap boots at boots-outlet dot example, limited offer!")

	author := site.Browser(t, "wes")
	author.LogIn("wes")
	author.Visit(th.Path())
	author.WaitFor(liveJS, "wes's live connection")

	anna := site.Browser(t, "mod_anna")
	anna.LogIn("mod_anna")
	anna.Visit("/mod/queue")
	anna.WaitFor(liveJS, "anna's queue, live")
	anna.WaitText("Nothing waits for review.")
	anna.Eval(`window.__samePage = true`, nil)
	ben := site.Browser(t, "mod_ben")
	ben.LogIn("mod_ben")
	ben.Visit("/mod/queue")
	ben.WaitFor(liveJS, "ben's queue, live")
	ben.Eval(`window.__samePage = true`, nil)

	// Fiona flags the post in the Flag link's dialog (the form page
	// without JavaScript is tested in app/web); the post then disappears
	// from her open page through its live post.hidden event.
	fiona := site.Browser(t, "fiona")
	fiona.LogIn("fiona")
	fiona.Visit(th.Path())
	fiona.WaitFor(liveJS, "fiona's live thread page")
	fiona.Eval(`window.__samePage = true`, nil)
	fiona.Click("#p1 a.js-flag")
	fiona.WaitFor(`document.querySelector('dialog.flag-dialog[open]') !== null`, "the flag dialog")
	fiona.Click(`dialog.flag-dialog input[name="reason"][value="spam"]`)
	fiona.Fill("#flag-dialog-note", "A link to a shop, posted everywhere")
	fiona.Click(`dialog.flag-dialog button[type="submit"]`)
	fiona.WaitFor(`document.querySelector('dialog.flag-dialog') === null`, "the dialog to close after the flag")
	fiona.WaitFor(`(document.querySelector('#p1 .hidden-note') || {}).textContent === 'This post is hidden pending review.'`, "the post hidden live on fiona's page")
	if !fiona.Bool(`window.__samePage === true`) {
		t.Fatal("fiona's page reloaded")
	}
	// On his open page Wes still reads his own hidden post, with the notice.
	author.WaitFor(`(() => { const a = document.querySelector('#p1.is-hidden'); return !!a && !!a.querySelector('.hidden-note') &&
		(a.querySelector('.post-body') || {textContent: ''}).textContent.includes('boots-outlet'); })()`, "wes's hidden post, still readable to him")
	if strings.Contains(fiona.BodyText(), "boots-outlet") {
		t.Fatal("the hidden post's text is still shown to members")
	}

	// The item arrives in both open queues.
	for _, mod := range []*Browser{anna, ben} {
		mod.WaitFor(modItemJS("boots-outlet"), "the flagged post in "+mod.Name+"'s queue")
		mod.WaitFor(`document.querySelector('[data-figure="waiting"]').textContent === '1'`, "the waiting figure")
	}
	item := anna.Str(modItemJS("boots-outlet") + `.getAttribute('data-item-id')`)
	card := "#item-" + item
	if flags := anna.Text(card + " .mod-flags"); !strings.Contains(flags, "fiona") || !strings.Contains(flags, "Spam") ||
		!strings.Contains(flags, "A link to a shop, posted everywhere") {
		t.Fatalf("the card's flags read %q", flags)
	}
	if anna.Count(card+" .badge") < 2 || !strings.Contains(anna.Text(card+" .mod-item-head"), "hidden") {
		t.Fatal("the card does not say the post is hidden")
	}

	// Anna claims it with "c"; Ben sees who holds it.
	anna.Type(card, "c")
	anna.WaitFor(fmt.Sprintf(`document.querySelector(%s).textContent.startsWith('Claimed by you until')`, jsString(card+" .mod-claim")), "anna's own claim")
	ben.WaitFor(fmt.Sprintf(`document.querySelector(%s).textContent.startsWith('Claimed by mod_anna until')`, jsString(card+" .mod-claim")), "anna's claim in ben's queue")
	if !ben.Bool(fmt.Sprintf(`document.querySelector(%s).classList.contains('is-claimed')`, jsString(card))) {
		t.Fatal("ben's card is not marked as claimed")
	}

	// Anna approves with "a": the item leaves both queues.
	anna.Type(card, "a")
	anna.WaitFor(fmt.Sprintf(`!document.querySelector(%s)`, jsString(card)), "the item to leave anna's queue")
	ben.WaitFor(fmt.Sprintf(`!document.querySelector(%s)`, jsString(card)), "the item to vanish from ben's queue")
	ben.WaitText("Nothing waits for review.")
	ben.WaitFor(`document.querySelector('[data-figure="waiting"]').textContent === '0'`, "the waiting figure back to 0")
	anna.WaitFor(`document.querySelector('[data-figure="moderators"]').textContent === 'mod_anna: 1'`, "anna's resolution counted")
	for _, mod := range []*Browser{anna, ben} {
		if !mod.Bool(`window.__samePage === true`) {
			t.Fatalf("%s's queue reloaded", mod.Name)
		}
	}

	// The post is back for everyone.
	fiona.Visit(th.Path())
	fiona.WaitText("boots-outlet")
	if fiona.Count("#p1 .hidden-note") != 0 {
		t.Fatal("the approved post still shows the hidden notice")
	}

	// Wes learnt that his post was hidden, on his bell and in the list.
	author.WaitFor(`(() => { const c = document.querySelector('.js-bell-count'); return !c.hidden && c.textContent === '1'; })()`, "wes's bell")
	author.Visit("/notifications")
	author.WaitText("Your post in Boots for half the price was hidden pending review by the moderators.")
	if strings.Contains(author.BodyText(), "fiona") {
		t.Fatal("the notification names the member who flagged")
	}

	for _, b := range []*Browser{author, anna, ben, fiona} {
		b.NoCSPViolations()
	}
}
