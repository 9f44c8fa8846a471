package demo

func clubThreads() []threadSpec {
	return []threadSpec{
		{
			forum: "trail-club", author: "quietpines", age: 980, pinned: true,
			title: "Trail Club meetups this year: vote for your favorites",
			body: `Hi, Trail Club! It's time to plan this year's meetups. Here are the options. Reply with your top two and I'll tally them up in a few days.

1. **Trail maintenance weekend** in the Mount Hood area (camping included)
2. **Beginner backpacking overnight**, led by @hank_b and me
3. **Summer lake camp**, family-friendly car camping
4. **Autumn larch hike** in the North Cascades
5. **Winter skills day**: snowshoes and winter camping basics, with @coldfoot teaching remotely (he's not flying down from Alaska)

As always, members can borrow from the gear library for any of these.`,
			posts: []post{
				p("priya.treks", "2 and 4! The beginner overnight would have been perfect for me last year."),
				p("marisol_r", "3 for sure, and maybe 1, if kids are welcome at the maintenance weekend?"),
				pq("quietpines", "marisol_r", "Kids over 10 are welcome at maintenance weekends with a parent. We have kid-sized gloves, and honestly they're usually the hardest workers."),
				p("switchback_sam", "1 and 4. Last year's larch hike was the best day of my year."),
				p("hank_b", "Obviously I'm voting for 2. And 3, since my grandkids would love it."),
				p("coldfoot", "5, obviously, since I'm apparently running it. I'll do a video session and a checklist. Somebody down there has to actually lie in the snow."),
				p("juniper_jo", "3 and 4. Are dogs allowed at the lake camp?"),
				pq("quietpines", "juniper_jo", "Dogs on leash are fine at the lake camp. Not at the maintenance weekend, though: there are tools everywhere."),
				p("gearhead_gus", "1 and 4. I'll bring the scale."),
				p("tobi_w", "2 and 1. Also, is there any help with travel for students? Getting to Mount Hood without a car is tricky."),
				pq("wren.alder", "tobi_w", "We'll start a carpool thread for each meetup. Plenty of members drive and have spare seats."),
				p("quietpines", "Results: **1** (14 votes), **4** (12), **2** (11), **3** (9), **5** (6). We'll run the top four, plus the winter session as an online call. Dates coming in a separate post. Thanks, everyone!"),
			},
		},
		{
			forum: "trail-club", author: "wren.alder", age: 620,
			title: "Gear library: what should we add for members to borrow?",
			body: `The Trail Club gear library currently has:

- 4 × Ridgeline 2P
- 2 × Cedar Dome 4
- 6 × Stratus 55 (two of each size)
- 4 × Emberline stoves
- A box of trekking poles, headlamps and water filters

We have a small budget for new additions this year. What would help you most? The priority is gear that lets new people try backpacking without buying everything first.`,
			posts: []post{
				p("priya.treks", "Sleeping bags and pads! Those were the hardest things to figure out as a beginner, and the most expensive."),
				p("tobi_w", "+1 for sleeping pads. Also bear canisters: they're required in a lot of places, and nobody wants to buy one for a single trip."),
				pq("wren.alder", "tobi_w", "Bear canisters are a great idea. Cheap, durable, and exactly the kind of thing you only need once or twice a year."),
				p("marisol_r", "Kids' sleeping bags. Families try camping once with bad bags, get cold, and never come back."),
				p("hank_b", "Seconding kids' bags. And a couple of the smaller Stratus hip belts, so the packs fit teenagers."),
				p("jonas.repairs", "The Repair Center can help here: we have a few returned sleeping bags and pads that are fully repaired but can't be sold as new. I'll set some aside for the library."),
				p("wren.alder", "That's fantastic, thank you, @jonas.repairs. So the list is sleeping bags (adult and kids), pads and bear canisters. I'll place the order this month."),
			},
		},
		{
			forum: "trail-club", author: "hank_b", age: 160,
			title: "Volunteer trail maintenance day: Saturday report",
			body: `Eleven Trail Club members showed up on Saturday for the maintenance day with the local trails association. In about six hours we:

- Cleared 14 downed trees (with crosscut saws, since chainsaws aren't allowed in the wilderness area)
- Rebuilt 6 water bars
- Brushed out about 2 miles of trail

Thanks to everyone who came, and to Fernwood for lunch and the gloves. Special thanks to @gearhead_gus, who measured every single log.`,
			posts: []post{
				p("gearhead_gus", "For the record: the biggest log was 61 cm in diameter. It took four of us 40 minutes."),
				p("quietpines", "Thank you for organizing, Hank. The trails association said it was their biggest volunteer turnout this year."),
				p("priya.treks", "This was my first one and I'm so sore, but it was amazing. I had no idea how much work goes into keeping a trail open."),
				p("maya_fernwood", "Thank you all for giving up your Saturday. This is the best part of the Trail Club. Lunch is on us any time you do one of these."),
				p("switchback_sam", "Sorry I missed it, I was working. Count me in for the next one."),
				pq("hank_b", "gearhead_gus", "Of course you measured it. I'd expect nothing less."),
			},
		},
		{
			forum: "trail-club", author: "tobi_w", age: 30,
			title: "Members' discount code not working at checkout",
			body: `I tried to use the Trail Club member discount on a Ramble 28, and the checkout says the code isn't valid. I'm logged in and my membership is active.

Anyone else?`,
			posts: []post{
				p("juniper_jo", "Same thing happened to me last week. I think the code changed at the start of the month."),
				p("admin_fern", "Thanks for reporting. The code was rotated on the 1st, but the members' page kept showing the old one. It's updated now: log out and back in and you should see the new code."),
				pq("tobi_w", "admin_fern", "That worked. Thanks for the quick fix!"),
				p("maya_fernwood", "Sorry about that, everyone. If you paid full price in the last week because of this, reply here or message me and we'll refund the difference."),
			},
		},
	}
}

func staffThreads() []threadSpec {
	return []threadSpec{
		{
			forum: "staff-room", author: "wren.alder", age: 880,
			title: "Moderation guidelines draft v2: feedback please",
			body: `I've updated our internal moderation guidelines based on the last couple of months. The main changes:

- **Criticism of Fernwood is never removed just for being negative.** We only act on abuse, personal attacks and personal information.
- **Warn first, then a 24-hour timeout, then escalate** to Maya or the admin.
- **Don't moderate a thread you're personally arguing in.** Ask another mod instead.

Full draft: https://example.com/internal/mod-guidelines-v2. Comments by Friday, please.`,
			posts: []post{
				p("tomasz_k", "Agree with all three. The third one matters most: it looks bad when someone in a disagreement is also the one who locks the thread."),
				p("quietpines", "Could we add something about trip reports that mention closed areas or illegal camping? We've had a few, and I'm never sure whether to remove them or just comment."),
				pq("wren.alder", "quietpines", "Good point. Proposal: leave the post up, add a polite mod comment with the rule and a link to the land manager, and only remove it if it encourages others to break the rule."),
				p("maya_fernwood", "Looks good to me. One addition from the brand side: if a thread is about a possible safety issue with a product, tag me or @jonas.repairs right away, even at weekends."),
				p("wren.alder", "Added both. The final version is live in the staff wiki. Thanks, team."),
			},
		},
		{
			forum: "staff-room", author: "admin_fern", age: 700,
			title: "Community numbers for the month (and a thank you)",
			body: `Numbers for last month:

| | Last month | Month before |
|---|---|---|
| New members | 412 | 268 |
| Threads | 189 | 131 |
| Posts | 2,304 | 1,577 |
| Reports handled | 58 | 41 |
| Median time to first reply | 47 min | 1 h 52 min |

That median reply time is mostly down to you. The forum is growing fast and staying friendly, which is not an easy combination. Thank you.`,
			posts: []post{
				p("quietpines", "That reply time is wild. The Trail Club folks help a lot; they reply to everything."),
				p("wren.alder", "58 reports, and most of them were spam. Real conflicts are still rare. Good community."),
				p("maya_fernwood", "Sharing this (minus the reports line) with the leadership team. Thanks, @admin_fern, and thanks, everyone."),
			},
		},
		{
			forum: "staff-room", author: "maya_fernwood", age: 400,
			title: "Handling the 7-week repair complaint thread",
			body: `A quick note about the thread in Warranty & Repairs about the seven-week repair. Please **leave it up and unlocked**. It's a fair complaint, and a public follow-up is good for everyone. Jonas has found the cause: an incomplete address on the return label, plus email filtering on our side.

If it gets heated, warn people first as per the guidelines, but I'd like to keep the conversation open.`,
			posts: []post{
				p("jonas.repairs", "Agreed. I've gone through the last three months of tickets and found four more returns stuck the same way. All shipping today, and I'm emailing each customer personally."),
				p("tomasz_k", "Understood. I'll keep an eye on it, but it's been civil so far."),
				p("admin_fern", "The email filtering problem is fixed on the mail server, and replies from those providers reach the repair queue again. I've added a monitor so we'll know if it ever happens again."),
				p("maya_fernwood", "Thanks, everyone. I'd rather we'd found this ourselves, but I'm glad we fixed it properly."),
			},
		},
		{
			forum: "staff-room", author: "quietpines", age: 330,
			title: "Spam wave: fake discount-tent accounts (clean-up notes)",
			body: `Heads up, team. Since last night we've had about 40 new accounts posting the same thing: "Fernwood tents 80% off" with a link to a fake shop. All created within a couple of hours, all with random usernames ending in numbers.

What I've done so far:

1. Deleted every spam post I could find (about 65).
2. Suspended the accounts.
3. Reported the fake shop's domain to its registrar.

If you see new ones, please list them here rather than in the public forums.`,
			posts: []post{
				p("tomasz_k", "Found six more in Trip Reports overnight and removed them. They've started replying to old threads now, which makes them harder to spot."),
				p("admin_fern", "I've switched on a rule: new accounts can't post links until they've made three posts or been around for 24 hours. That should stop most of this without bothering real people."),
				pq("wren.alder", "admin_fern", "Thank you! Will that affect people who join to ask a warranty question and link to a photo?"),
				pq("admin_fern", "wren.alder", "Uploaded photos still work. Only external links are held for review. I'll watch the moderation queue for false positives."),
				p("maya_fernwood", "Thanks, all. I'll post a short announcement warning people about the fake shop, since a few customers have already emailed us asking whether it's legit. Please don't engage with the spammers in public; just remove and report."),
				p("quietpines", "Quiet since the link rule went in. Two attempts this morning, both caught in the queue."),
				p("tomasz_k", "Confirmed, nothing new overnight. Nice work, @admin_fern."),
				p("admin_fern", "I'll leave the rule on permanently, and lower the threshold to two posts if it causes friction. Thanks for the fast clean-up, everyone."),
			},
		},
	}
}
