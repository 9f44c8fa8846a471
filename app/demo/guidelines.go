package demo

import (
	"context"
	"fmt"
	"strings"

	"parley/app"
	"parley/app/auth"
	"parley/app/guidelines"
)

// GuidelinesEditor is the community manager who publishes the demo's
// community guidelines.
const GuidelinesEditor = "maya_fernwood"

// seedGuidelines publishes the Fernwood community guidelines in two
// versions, so the history and the diff have something to show.
func seedGuidelines(ctx context.Context, a *app.App, users map[string]*auth.Viewer) error {
	v := users[GuidelinesEditor]
	if v == nil {
		return fmt.Errorf("the dataset has no community manager %q", GuidelinesEditor)
	}
	for _, c := range []guidelines.Change{
		{Body: guidelinesV1, Summary: "First version of the community guidelines"},
		{Body: guidelinesV2(), Summary: "Section 3: affiliate links and discount codes; new section 7 on safety advice", BaseVersion: 1},
	} {
		if _, err := a.Guidelines.Publish(ctx, v, c); err != nil {
			return fmt.Errorf("guidelines: %w", err)
		}
	}
	return nil
}

const guidelinesV1 = `Welcome to the Fernwood Outdoor community: a place for trip reports, gear questions and repair help, run by the Fernwood team and its members together. These guidelines apply everywhere on the forum, in every language. Moderators cite them by section number when they act on a post.

## Be kind and assume good intent

Everyone here was a beginner once. Answer the question that was asked, not the one you wish had been asked, and leave out the sighs.

- No insults, name-calling or slurs, and no pile-ons: if someone has already pointed out a mistake, a like says the rest.
- Criticise ideas, gear and plans, never the person.
- Disagreement is welcome. Sarcasm aimed at a member is not.

## Stay on topic

Keep each thread about what its first post asked. If a discussion drifts into something worth its own thread, start one and link to it.

- Post in the forum that fits: trip reports in **Trip reports**, broken things in **Repairs**.
- Search before asking; if an old thread answers the question, reply there rather than starting a copy.
- Politics, religion and other brands' drama belong elsewhere.

## No spam or self-promotion

Share what helps other members, not what helps your sales.

- No advertising, referral links or unsolicited offers, in posts, signatures or private messages.
- Mentioning your own blog or video is fine when it answers the question in the thread, at most once per thread, and you say it is yours.
- Accounts created only to promote something are removed without warning.

## Respect privacy

- Do not post anyone's personal details: addresses, phone numbers, order numbers or photos of people who did not agree to be shown.
- Do not share private messages without the sender's permission.
- Be careful with exact locations of remote campsites and fragile places; "the north side of the lake" is enough.

## Official voices

Posts by community managers and admins carry an **official** badge: they speak for Fernwood Outdoor. Moderators are volunteers and members of staff who keep the forum running; their badge says so.

- Do not pretend to be staff, or to speak for Fernwood, in your name, avatar or posts.
- Warranty, order and account questions go to Fernwood support; staff here will point you there rather than handle them in public.

## What happens when the guidelines are broken

Most problems end with a friendly word. When they do not, moderators may, depending on how serious it is:

1. edit or hide the post, and tell you which section it broke;
2. send you a warning;
3. silence your account for a while (you can read, but not post);
4. suspend the account.

Every staff action is recorded in an audit log that all staff can read. If you think a decision was wrong, write to a community manager: calmly, in private, and with a link to the post.
`

// guidelinesV2 is the first version with section 3 tightened and a
// section 7 added, so the demo's diff shows both kinds of change.
func guidelinesV2() string {
	return strings.Replace(guidelinesV1,
		"- No advertising, referral links or unsolicited offers,",
		"- No advertising, referral or affiliate links, discount codes or unsolicited offers,", 1) + guidelinesSafety
}

const guidelinesSafety = `
## Safety advice

Advice on this forum can send people into the mountains. Say how sure you are, and say when something is risky.

- Do not encourage anyone to go beyond their experience, the weather or the season.
- Avalanche, river-crossing and first-aid questions deserve a pointer to a course or a professional as well as an answer.
- Repairs to safety gear (harnesses, helmets, stove valves) are for the Fernwood Repair Center, not for home fixes.
`
