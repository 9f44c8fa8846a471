package demo

import "strings"

// users is the cast: Fernwood staff, volunteer moderators and members.
func users() []User {
	type u struct {
		name string
		role Role
		bio  string
	}
	cast := []u{
		{"admin_fern", RoleAdmin, "Runs the servers behind this forum for Fernwood Outdoor. Gear questions go to Maya; broken pages come to me."},
		{"maya_fernwood", RoleManager, "Community manager at Fernwood Outdoor. Former trail crew leader, still happiest at a backcountry campsite with bad coffee."},
		{"jonas.repairs", RoleManager, "Lead technician at the Fernwood Repair Center. If it has a zipper, a seam or a pole, I have probably fixed one like it."},
		{"wren.alder", RoleModerator, "Volunteer moderator. Section-hiking the Appalachian Trail one long weekend at a time."},
		{"tomasz_k", RoleModerator, "Volunteer moderator, climber, reluctant early riser. Based in Krakow, hiking mostly in the Tatras."},
		{"quietpines", RoleModerator, "Volunteer moderator and Trail Club organizer. Ask me about trail maintenance days."},
		{"switchback_sam", RoleMember, "Weekend backpacker in the Pacific Northwest. Usually wet, always happy."},
		{"lena.hikes", RoleMember, "Hillwalker from Aberdeen. Munros, bothies and a great deal of rain."},
		{"gearhead_gus", RoleMember, "I own a kitchen scale purely for weighing gear. Spreadsheets available on request."},
		{"marisol_r", RoleMember, "Car camping with two kids, one labrador and far too many snacks."},
		{"trailrunner_kai", RoleMember, "Fastpacker and ultrarunner. If it weighs more than a banana I am suspicious of it."},
		{"old_man_ridge", RoleMember, "Backpacking since 1978. Still using my first Fernwood pack, mostly out of spite."},
		{"priya.treks", RoleMember, "New to backpacking as of last spring. Learning everything the hard way, and enjoying it."},
		{"hank_b", RoleMember, "Retired scoutmaster. Canoes, portages and teaching teenagers to tie a bowline."},
		{"northbound_nina", RoleMember, "PCT 2024 thru-hiker (trail name: Sparrow). Now planning the CDT."},
		{"coldfoot", RoleMember, "Fairbanks, Alaska. Winter is not a season, it is a lifestyle."},
		{"dan-the-van", RoleMember, "Living in a van, climbing on weekdays, working remotely the rest of the time."},
		{"juniper_jo", RoleMember, "Hiking with Biscuit, a border collie with more energy than sense."},
		{"alpine_ahmed", RoleMember, "Mountaineer and ski tourer. Alps in summer, Rockies in winter."},
		{"fieldnotes", RoleMember, "Landscape photographer. I carry too much camera and not enough food."},
		{"ricardo.m", RoleMember, "Bikepacker. Gravel roads, strong coffee, small tents."},
		{"kate_kayaks", RoleMember, "Sea kayaker on the Maine coast. Everything I own smells faintly of neoprene."},
		{"mossy_boots", RoleMember, "I repair my own gear and occasionally other people's. Sewing machine enthusiast."},
		{"tobi_w", RoleMember, "Student, broke, outdoors anyway. Budget gear questions are my specialty."},
		{"ellie.campfire", RoleMember, "Backcountry cook. Yes, you can make risotto on a canister stove."},
		{"greta.nord", RoleMember, "Ski tourer and hut-to-hut hiker from Tromso, Norway."},
		{"jana.fernwood", RoleManager, "Community-Managerin bei Fernwood Outdoor für Deutschland, Österreich und die Schweiz. Am liebsten auf Hüttentouren in den Dolomiten."},
		{"lukas.berg", RoleMember, "Bergwanderer aus dem Allgäu. Flicke meine Ausrüstung lieber, als sie neu zu kaufen."},
		{"anke_wandert", RoleMember, "Fernwanderin aus Goslar: Harz, Thüringer Wald und jedes Jahr ein Stück vom Rheinsteig."},
		{"matthias_k", RoleMember, "Skitourengeher und Klettersteig-Fan aus Innsbruck. Frühstück gibt es erst am Gipfel."},
		{"sophie.radelt", RoleMember, "Bikepacking und Wandern rund um Freiburg. Immer auf der Suche nach dem leichtesten Kocher."},
	}
	out := make([]User, len(cast))
	for i, c := range cast {
		out[i] = User{
			Username: c.name,
			Email:    strings.ToLower(c.name) + "@" + emailDomain,
			Role:     c.role,
			Bio:      c.bio,
		}
	}
	return out
}

// forums are listed in display order.
func forums() []Forum {
	return []Forum{
		{Slug: "announcements", Name: "Announcements", Visibility: "public",
			Description: "News from the Fernwood Outdoor team: product updates, safety notices and changes to the forum."},
		{Slug: "gear-talk", Name: "Gear Talk", Visibility: "public",
			Description: "Questions, comparisons and long-term reviews of tents, packs, stoves, jackets and everything else you carry."},
		{Slug: "trip-reports", Name: "Trip Reports", Visibility: "public",
			Description: "Where you went, what worked and what didn't. Photos very welcome."},
		{Slug: "warranty-and-repairs", Name: "Warranty & Repairs", Visibility: "public",
			Description: "Questions about the Lifetime Repair Promise, DIY fixes and repair tickets. The Repair Center team answers on weekdays."},
		{Slug: "ideas", Name: "Ideas & Feature Requests", Visibility: "public",
			Description: "Tell us what to build next, and what to change about what we already make."},
		{Slug: "fernwood-de", Name: "Fernwood auf Deutsch", Visibility: "public", Language: "de",
			Description: "Das Forum für Deutschland, Österreich und die Schweiz: Fragen zur Ausrüstung, Tourenberichte und Hilfe vom Fernwood-Team, auf Deutsch."},
		{Slug: "trail-club", Name: "Trail Club", Visibility: "members",
			Description: "For Fernwood Trail Club members: meetups, volunteer days, the gear library and member perks."},
		{Slug: "staff-room", Name: "Staff Room", Visibility: "staff",
			Description: "Moderators and Fernwood staff only. Moderation notes, spam clean-up and drafts."},
	}
}

func announcementThreads() []threadSpec {
	return []threadSpec{
		{
			forum: "announcements", author: "maya_fernwood", age: 1440, pinned: true, locked: true,
			title: "Welcome to the Fernwood Community: start here",
			body: `Hi everyone, and welcome!

I'm Maya, community manager at **Fernwood Outdoor**. This forum is a place for people who use our gear (and people who are just thinking about it) to swap advice, share trips and tell us what we're getting right and what we're getting wrong.

**Where things go**

- **Gear Talk**: questions, comparisons, long-term reviews.
- **Trip Reports**: where you went, what worked, what didn't. Photos encouraged.
- **Warranty & Repairs**: our Repair Center team reads every thread here on weekdays.
- **Ideas & Feature Requests**: tell us what to build next.
- **Trail Club**: for Fernwood Trail Club members (meetups, volunteer days, the gear library).

**A few ground rules**

1. Be kind. Everyone was a beginner once, and nobody needs to be told their base weight is embarrassing.
2. Honest criticism of our products is welcome. Personal attacks on anyone (staff included) are not.
3. No selling, affiliate links or self-promotion without asking a moderator first.
4. Don't post order numbers, addresses or phone numbers in public. For anything involving your personal details, use the form at https://example.com/support and mention the ticket number here.
5. If something looks off, use the report button rather than replying to it.

Our volunteer moderators are @wren.alder, @tomasz_k and @quietpines. For warranty questions you'll usually hear from @jonas.repairs. If the site itself misbehaves, @admin_fern is the person to poke.

See you out there,
Maya`,
			posts: []post{
				p("wren.alder", "One small addition from the moderator side: if you're new, please take a minute to fill in your profile bio, even if it's just your home region. Gear advice gets *much* better when we know whether you hike in Arizona or the Scottish Highlands. Welcome, all!"),
				p("maya_fernwood", "Thanks, Wren. I'm locking this thread so it stays tidy. If you have questions about the rules, start a new thread or message any of the moderators."),
			},
		},
		{
			forum: "announcements", author: "admin_fern", age: 1430,
			title: "Forum update: reactions, @mentions and quoting are live",
			body: `A few features were switched on this week:

- **Reactions**: under every post you can leave a *like*, a *thanks*, or mark it as *insightful*. One reaction per post per person.
- **Mentions**: type @ followed by a username and that person gets a notification. Please don't mass-mention staff to get a faster answer. It doesn't work, and it annoys us.
- **Quoting**: the quote button on a post pulls it into your reply.

If anything breaks, reply here with what you did and which browser you were using.`,
			posts: []post{
				p("tomasz_k", "Tested mentions on @wren.alder and they work nicely. Sorry, Wren."),
				pq("wren.alder", "tomasz_k", "Notification received, loud and clear. You owe me a coffee."),
				p("fieldnotes", "Is there a way to turn off email notifications for reactions but keep them for mentions? I got a small avalanche of emails after one post."),
				pq("admin_fern", "fieldnotes", "Yes: profile settings, under **Notifications**. Reactions are now set to a daily digest for new accounts, which should have been the default from the start. Sorry about the avalanche."),
				p("gearhead_gus", "Quoting works in Firefox on Linux. On mobile Safari the quote button scrolls to the top of the page before inserting, which is a bit disorienting, but it does work."),
				pq("admin_fern", "gearhead_gus", "Thanks, Gus, I can reproduce that. A fix is going out with the next update."),
			},
		},
		{
			forum: "announcements", author: "jonas.repairs", age: 1200,
			title: "Repair Center holiday schedule and current turnaround times",
			body: `Hi all, Jonas from the Fernwood Repair Center here.

A quick update on where we are:

- **Current turnaround:** about 3 weeks from the day your item arrives to the day it ships back.
- **Pole repairs and replacements:** usually faster, about 1 week.
- **Down garments:** 4 to 5 weeks. Baffle repairs are slow, careful work and we don't rush them.

The Repair Center will be closed for the two public holidays at the end of the month. Anything that arrives during the closure is logged on the first day we're back.

Please always start a repair at https://example.com/repairs so you get a ticket number. Boxes that arrive without one take us much longer to match up with their owners.`,
			posts: []post{
				p("hank_b", "Three weeks is fair. Thanks for posting actual numbers instead of \"soon\"."),
				p("dan-the-van", "Is there a way to check the status of a ticket online? I sent a jacket in and the tracking just says delivered."),
				pq("jonas.repairs", "dan-the-van", "Not self-service yet, unfortunately. Reply to your confirmation email and it lands straight in our queue, and we'll tell you where your jacket is. An online status page is on our list for this year."),
				p("mossy_boots", "Appreciate the honesty about down repairs. I tried fixing a baffle myself once and it was a feather-filled nightmare."),
			},
		},
		{
			forum: "announcements", author: "maya_fernwood", age: 720, pinned: true,
			title: "New this season: the Ridgeline 2P gets new poles and a lighter fly",
			body: `We've been working on this one for a long time, so I'm really happy to finally share it.

The **Ridgeline 2P** is getting its first real update in four years. Most of the changes came straight from your feedback here and from what our Repair Center sees on the bench.

| | Current Ridgeline 2P | New Ridgeline 2P |
|---|---|---|
| Packed weight | 1.68 kg | 1.49 kg |
| Fly fabric | 20D nylon | 15D polyester, silicone/PU coated |
| Pole set | 8.7 mm aluminum | 9 mm aluminum, reinforced hub |
| Vestibules | 2 | 2 (rear one 15% larger) |
| Price | $399 | $419 |

**What's new**

- A stronger pole hub. Cracked hubs were the most common Ridgeline repair, by a wide margin.
- A lighter fly that sags much less when it's wet and cold (polyester instead of nylon).
- Reflective guy-outs and color-coded corners, because pitching in the dark shouldn't be a puzzle.

**What stays the same**

- Same footprint, so your existing Ridgeline groundsheet still fits.
- Same inner tent layout and door positions.

The new version ships next month. Happy to answer questions below, and @jonas.repairs will jump in on anything repair-related.`,
			posts: []post{
				p("gearhead_gus", "190 grams off is a real difference. Any chance you can share the breakdown (fly / inner / poles / stakes)? My guess is most of it comes from the fly."),
				pq("maya_fernwood", "gearhead_gus", "Good guess. Roughly: fly -120 g, inner -25 g, and the box now has 6 stakes instead of 8 (you can still buy the extra two). The poles are actually about 10 g *heavier* because of the new hub. I'll ask product to publish the full breakdown on the spec page."),
				p("old_man_ridge", "Fewer stakes in the box to save weight is the oldest trick in the book. I'll keep carrying eight, thanks."),
				p("switchback_sam", "So glad to see polyester on the fly. My current Ridgeline sags like a hammock every time it rains here, and I've been getting up at 2am to re-tension it."),
				p("kate_kayaks", "Will the new poles fit the older tent? Mine is from 2022 and I'd happily buy a new pole set if it's stronger."),
				pq("jonas.repairs", "kate_kayaks", "Yes, the new pole set fits every Ridgeline 2P from 2020 on. The hub is wider, but the pole tips and grommets are the same. We'll sell the set on its own, and if your current poles are damaged and under the promise, we'll send the new version as the replacement."),
				p("northbound_nina", "Reflective guy-outs, finally. I think I tripped over my own guylines every single night on the PCT."),
				p("trailrunner_kai", "1.49 kg is still heavy for a 2P these days, honestly. I'd love to see a trekking-pole version someday. Not complaining, though: the hub fix is the right priority."),
				p("maya_fernwood", "@trailrunner_kai noted, and you're far from the first to ask. It's also the most-liked idea in the ideas megathread, so it's firmly on the team's radar."),
			},
		},
		{
			forum: "announcements", author: "maya_fernwood", age: 480, pinned: true,
			title: "Safety notice: Emberline Mini regulator inspection (batches EM-2311 to EM-2402)",
			body: `**Please read this if you own an Emberline Mini stove.**

We've found that a small number of Emberline Mini stoves made between November 2023 and February 2024 can have a regulator seal that doesn't seat fully. In affected stoves this can cause a small gas leak at the canister connection, most noticeable in cold weather.

We have had **no reports of injuries**, but we're not willing to take any chances with a gas appliance.

**How to check your stove**

1. Look at the underside of the stove body. There's a batch code stamped next to the valve.
2. If it reads **EM-2311**, **EM-2312**, **EM-2401** or **EM-2402**, your stove is in the affected range.
3. Stop using it and register at https://example.com/emberline-mini. We'll send you a prepaid box and ship a new stove, usually within 10 days.

Stoves with any other batch code, and all full-size Emberline stoves, are not affected.

I'll keep this thread updated and answer questions here. I'm sorry for the hassle.

Maya`,
			posts: []post{
				p("ellie.campfire", "Mine is EM-2401. Honestly, I'd noticed a faint smell of gas when screwing it on in the cold and blamed the canister. Registering now. Thank you for being upfront about this."),
				p("switchback_sam", "Checked mine: EM-2209. Phew. Thanks for making the batch code easy to find."),
				p("coldfoot", "Is the fix a different seal material? In real cold (-20 and below) a lot of O-rings stiffen up and leak. I'd like to know the new one is rated for it before I trust it in winter."),
				pq("maya_fernwood", "coldfoot", "Good question. The replacement seal is a different compound rated down to -40 °C, and the seat is machined slightly deeper. The engineers tested the new stoves in a cold chamber at -30 °C. That said, canister stoves in general struggle well before that for fuel reasons, as you know better than most."),
				p("old_man_ridge", "This is how a recall should be handled. Clear, specific, no weasel words. I've seen far worse from much bigger companies."),
				p("tobi_w", "I bought mine second-hand and don't have a receipt. Am I still covered?"),
				pq("maya_fernwood", "tobi_w", "Yes. This is a safety replacement, not a warranty claim, so you don't need a receipt and it doesn't matter where you bought it. If it's in the batch range, we replace it."),
				p("dan-the-van", "Any idea on timing? I'm leaving for two weeks in the desert on the 15th and the Mini is my only stove."),
				p("maya_fernwood", "@dan-the-van if you register today and write \"travel date\" in the notes field, the team will ship the replacement first, before you send yours back. We're doing that for anyone with a trip coming up."),
				p("dan-the-van", "That's great, just did it. Thanks, Maya."),
				p("tomasz_k", "Mod note: I've merged three separate threads about this into this one, so if your post moved here, that's why. Please keep Emberline Mini questions in this thread so nobody misses an answer."),
				p("ellie.campfire", "Update for anyone wondering: my replacement arrived in 4 days, with the prepaid return label in the box. No smell at all with the new one, even on a frosty morning. Painless."),
			},
		},
	}
}

func ideaThreads() []threadSpec {
	return []threadSpec{
		{
			forum: "ideas", author: "maya_fernwood", age: 1300, pinned: true,
			title: "What should Fernwood make next? (ideas megathread)",
			body: `Our product team reads this forum, and they asked me for a single place to collect ideas, so here it is.

Post your idea for a **new product**, or a **change to an existing one**. A few tips so ideas are as useful as possible:

- Say *what problem* it solves, not only what it is.
- If it's a change, say which product and which version you own.
- Use reactions: a *like* on an idea you'd actually buy is the best signal we get.

I'll post a round-up every couple of months with what the team thinks is feasible. No promises, but a lot of what we make today started as a suggestion from someone who uses our gear.`,
			posts: []post{
				p("trailrunner_kai", "Trekking-pole shelter. One person, single wall, under 800 g. You already know how to make a good fly, so pitch it on two trekking poles and skip the tent poles entirely."),
				p("gearhead_gus", "Seconding the trekking-pole shelter, but please make it double-wall, or at least offer a mesh inner. Single wall in humid conditions is a condensation festival."),
				p("marisol_r", "A kids' backpack that actually has a hip belt. Everything for kids is either a toy or a miniature adult pack that doesn't adjust. My 9-year-old would happily carry her own sleeping bag if the pack fit her."),
				pq("hank_b", "marisol_r", "Yes! Twenty years of scout troops and I've never found a decent youth pack. An adjustable torso from about 13 to 17 inches would cover most kids from 8 to 14."),
				p("coldfoot", "A real winter stove. Liquid fuel, or at least a remote-canister stove with a preheat loop so you can run the canister upside down in the cold. The Emberline is great down to about -10 °C and then it's a paperweight."),
				p("ellie.campfire", "A simmer control on the Emberline that actually simmers. Right now there's \"off\", \"jet engine\" and a very narrow zone in between."),
				p("old_man_ridge", "Bring back the external frame pack. I'm serious. For heavy, awkward loads nothing beats it."),
				pq("trailrunner_kai", "old_man_ridge", "You're the only person I've ever met who says that, and I respect it enormously."),
				p("northbound_nina", "Rain mitts. Light, fully waterproof overmitts that pack down to the size of a fist. I went through three pairs from other brands on the PCT."),
				p("kate_kayaks", "A roll-top version of the Ramble 28 for paddling. It doesn't need to be submersible, just properly splash-proof with welded seams."),
				p("fieldnotes", "A camera cube that fits the Stratus 40 and has side access. I'd pay real money for that."),
				p("maya_fernwood", "Lots of great ideas already. @fieldnotes, the camera cube has come up in product meetings more than once, so you're not alone. Keep them coming, everyone."),
				p("tobi_w", "A budget line. I know it's not glamorous, but a $150 tent that's 80% of a Ridgeline would get a lot of students outdoors."),
				pq("old_man_ridge", "tobi_w", "Counterpoint: buy a used Ridgeline. They last forever, and the repair promise covers second owners too. That beats a cheap tent every time."),
				pq("tobi_w", "old_man_ridge", "Fair, but used Ridgelines still go for $250 or more where I live. Not everyone can do that."),
				p("wren.alder", "Both fair points. What about a certified refurbished program? Gear comes back through warranty, gets repaired and is resold at a discount. A few brands do this really well."),
				pq("jonas.repairs", "wren.alder", "Speaking for the Repair Center: we'd love this. We end up with a surprising amount of gear that's perfectly usable after a repair. No news to share yet, but the idea is very much alive internally."),
				p("juniper_jo", "Dog gear! A dog pack that matches the Stratus would sell out immediately among my friends. Also a packable dog bed that doesn't weigh a kilo."),
				p("alpine_ahmed", "A proper four-season tent. The Ridgeline is lovely, but I wouldn't want it on a glacier in a storm. Something like a two-pole geodesic with snow flaps."),
				p("greta.nord", "Agree with @alpine_ahmed. Snow flaps and a vestibule you can dig out for cooking. There's hardly anything between full expedition tents and three-season backpacking tents."),
				p("ricardo.m", "Bikepacking bags. A frame bag and a seat pack in the same fabric as the Stratus. Bikepackers are a very loyal crowd if you get it right."),
				p("switchback_sam", "Honestly? Just more colors for the Squall jacket. I'm tired of looking like every other person at the trailhead in navy."),
				p("priya.treks", "A beginner's kit with a short guide. When I started I had no idea what I needed and bought several things twice. A \"first overnight\" bundle with a tent, pack, stove and a printed checklist would have saved me money."),
				pq("gearhead_gus", "priya.treks", "Better still, put the checklist online for free and let people tick off what they already own. Bundles always seem to include the one thing you already have."),
				p("dan-the-van", "Stuff sacks with a flat bottom, so they stand up in a van drawer. Weirdly specific, but I'd buy six."),
				p("mossy_boots", "Sell repair kits and spare parts directly: buckles, sliders, pole sections, fly fabric patches in matching colors. Let those of us who like fixing things do it ourselves."),
				pq("jonas.repairs", "mossy_boots", "We're working on exactly this. Pole sections and buckles first, fabric patches later. I'll post in Warranty & Repairs when it goes live."),
				p("lena.hikes", "A midge net that fits over a brimmed hat without making you look like a beekeeper. Scottish summers would be so much nicer."),
				p("trailrunner_kai", "A running vest version of the Ramble. 8 to 12 liters, soft flasks on the front, room for a shell and food."),
				p("maya_fernwood", `Round-up time! The most-liked ideas so far:

1. Trekking-pole shelter (by a wide margin)
2. Youth pack with a real hip belt
3. Spare parts store
4. Four-season tent
5. Refurbished gear program

The spare parts store is confirmed and on its way. The other four are being discussed internally. I can't say more yet, but I can say they're being discussed seriously. Thank you, everyone.`),
				p("coldfoot", "No winter stove in the top five. Us cold-weather people are a minority, but we're a loud one. I'll keep lobbying."),
				p("northbound_nina", "Rain mitts didn't make the top five either. I'm joining @coldfoot's lobby."),
			},
		},
		{
			forum: "ideas", author: "kate_kayaks", age: 600,
			title: "Please bring back the green colorway for the Stratus",
			body: `The old *Fir Green* Stratus 55 was the best-looking pack you've ever made, and it was also the easiest to spot when my group was strung out along the trail. The current charcoal is fine, but it disappears at dusk, and in a pile of other people's packs it's invisible.

Anyone else want it back?`,
			posts: []post{
				p("juniper_jo", "Yes! I have a Fir Green Stratus 40 from years ago and people still stop me to ask where I got it."),
				p("trailrunner_kai", "Unpopular opinion: I like the charcoal. It doesn't show dirt and it doesn't shout \"look at me\" at every trailhead."),
				pq("kate_kayaks", "trailrunner_kai", "Not showing dirt is a fair point. But near the water I want to be seen, not blend in. Maybe offer both?"),
				p("fieldnotes", "Green also photographs beautifully. Charcoal packs just turn into black blobs in landscape shots."),
				p("maya_fernwood", "I've passed this on to the product team, along with the number of likes on this thread. I can tell you that next year's colors aren't final yet, which is the most I'm allowed to say."),
				p("kate_kayaks", "I'm choosing to read \"not final yet\" as a yes. Thanks, Maya!"),
			},
		},
		{
			forum: "ideas", author: "northbound_nina", age: 340,
			title: "Feature request: hip belt pockets that fit a modern phone",
			body: `Every phone I've owned in the last five years has been too big for the hip belt pockets on the Stratus 55. I keep my phone handy all day for maps and photos, so right now it lives in a shoulder strap pouch from another brand that I zip-tied on.

**Request:** make at least one hip belt pocket big enough for a 6.7" phone *in a case*. Stretch mesh on the outside would be fine. Bonus points for a zipper you can open with one hand.`,
			posts: []post{
				p("gearhead_gus", "I measured it: the current Stratus 55 hip belt pocket is about 15.5 × 8 cm inside. A typical large phone in a slim case is 16.5 × 8.2 cm. So close, and yet no."),
				p("switchback_sam", "Same problem. I ended up keeping my phone in my front pants pocket, which is not ideal when you're sweating up a hill."),
				p("old_man_ridge", "Or, hear me out, a paper map. It never runs out of battery."),
				pq("northbound_nina", "old_man_ridge", "I carry a paper map too! But I also use my phone for photos, GPS tracks and water reports, and I'd rather not take my pack off forty times a day to get at it."),
				p("wren.alder", "Gentle reminder to keep it friendly, folks. Both approaches are valid, and a bigger pocket doesn't stop anyone from carrying a map."),
				p("tobi_w", "A shoulder strap pocket would be even better than the hip belt. Much easier to reach with the pack on."),
				p("maya_fernwood", "Thanks for the measurements, @gearhead_gus, that's really useful. I've shared this thread with the pack team, and I believe the hip belt is being redesigned for the next Stratus anyway. I'll confirm when I can."),
			},
		},
	}
}
