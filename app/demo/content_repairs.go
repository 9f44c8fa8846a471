package demo

func repairThreads() []threadSpec {
	return []threadSpec{
		{
			forum: "warranty-and-repairs", author: "jonas.repairs", age: 1420, pinned: true,
			title: "How the Lifetime Repair Promise works (FAQ)",
			body: `Hi everyone, Jonas here. I lead the Fernwood Repair Center. Here's how our **Lifetime Repair Promise** works, in plain language.

**Covered for the life of the product, free**

- Defects in materials and workmanship: seams, zippers that fail without abuse, delamination, broken buckles.
- Pole breakage in normal use, including the first one you break by accident. (We all do it once.)

**Repaired at a fair price**

- Accidental damage: burns, rips from a fall, a dog chewing through a strap.
- Normal wear and tear after many years of use.

**What we can't do**

- Repair gear that has been modified in a way that affects safety (stoves especially).
- Replace a product just because it has worn out from normal use.

**How to start**

1. Open a ticket at https://example.com/repairs.
2. Attach photos. Half the time we can tell you how to fix it yourself.
3. If it needs to come in, we'll email you a shipping label.

The promise applies to second-hand gear too. No receipt needed.`,
			posts: []post{
				p("old_man_ridge", "I can vouch for this. They replaced my hip belt in 2009 on a pack I bought in 1994."),
				p("tobi_w", "What counts as a \"fair price\" for accidental damage? Roughly?"),
				pq("jonas.repairs", "tobi_w", "Most tent and pack repairs come to between $20 and $60, including return shipping. We always send a quote first, and you're free to say no."),
				p("kate_kayaks", "Does the promise cover salt corrosion on zippers? Asking for a friend (me)."),
				pq("jonas.repairs", "kate_kayaks", "Honest answer: salt corrosion is usually wear rather than a defect, so it's a paid repair. But a slider swap is one of the cheapest things we do, about $15."),
			},
		},
		{
			forum: "warranty-and-repairs", author: "alpine_ahmed", age: 380,
			title: "Ridgeline 2P pole section cracked on day two: what now?",
			body: `On day two of a five-day trip in the Wind Rivers, a gust caught the tent and one pole section cracked right next to the hub. I used the splint sleeve from the repair kit and it held for the rest of the trip (great little thing, by the way).

The tent is a 2021 Ridgeline 2P. What's the process? Do I send the whole tent or just the poles?`,
			posts: []post{
				p("jonas.repairs", `Sorry to hear about the pole, but glad the splint got you through. That's exactly what it's for.

**Just the poles**, please. Open a ticket at https://example.com/repairs, choose "pole repair" and attach a photo of the crack. Because it's right at the hub, we'll send you the **new reinforced pole set** instead of repairing the old one. It's covered under the promise, so there's no charge.`),
				pq("alpine_ahmed", "jonas.repairs", "That's better than I'd hoped. Ticket opened, thanks!"),
				p("gearhead_gus", "For reference, the new hub is visibly beefier. I handled one at a dealer last week. Cracks right next to the hub seem to be the classic failure on the older sets."),
				p("switchback_sam", "The same thing happened to me two years ago. Fernwood sent a new pole section in four days. Painless."),
				p("jonas.repairs", "Update for anyone following along: @alpine_ahmed's poles shipped today. It took a little longer than usual because the new sets are only just arriving at the Repair Center."),
				p("alpine_ahmed", "Arrived and fits perfectly. The new hub feels much more solid. Great service."),
			},
		},
		{
			forum: "warranty-and-repairs", author: "mossy_boots", age: 800,
			title: "Zipper slider on my Stratus: DIY or send it in?",
			body: `The main zipper on my Stratus 55 has started to split open behind the slider. The teeth look fine, so I think the slider itself is worn.

I'm comfortable with a needle and a pair of pliers. Is this a DIY job, or should I send it in?`,
			posts: []post{
				p("jonas.repairs", `If the teeth are intact, it's almost always the slider, and you can try a squeeze first: gently pinch the back of the slider with pliers, a little on each side, then test. Go slowly. Too much and it'll jam.

If that doesn't fix it, the slider needs replacing. The Stratus 55 main zip is a #8 coil, so any #8 coil slider fits. Or send it in and we'll do it under the promise.`),
				pq("mossy_boots", "jonas.repairs", "The squeeze worked, for now at least. Thanks! Good to know it's a #8. I'll order a couple of spare sliders just in case."),
				p("dan-the-van", "How do you replace a slider without replacing the whole zipper? I always assumed that was impossible."),
				pq("mossy_boots", "dan-the-van", "You unpick the stitching at the end of the zip where the stop is, slide the old one off and the new one on, and sew a new stop. It takes about 20 minutes the first time."),
				p("priya.treks", "This forum is making me want to learn to sew."),
				p("mossy_boots", "@priya.treks do it! Start by patching a stuff sack. Nothing matters if it goes wrong."),
				p("wren.alder", "This thread is a great resource. Adding it to the repair FAQ list."),
			},
		},
		{
			forum: "warranty-and-repairs", author: "greta.nord", age: 560,
			title: "Delamination on a 2017 Squall jacket: is that covered?",
			body: `My 2017 Squall jacket has started to delaminate on the inside, around the shoulders and the back. First little bubbles, now flakes of the inner layer peeling off.

It's been used a lot (ski touring, lots of sweat, heavy packs). Is this covered under the promise, or is it "normal wear"?`,
			posts: []post{
				p("jonas.repairs", "Delamination counts as a defect under the promise, even at this age. Open a ticket with photos and we'll take a look. If we can't repair it (with delamination we usually can't), we'll offer a replacement jacket or store credit."),
				pq("greta.nord", "jonas.repairs", "Wow, OK. I really expected you'd say it was wear. Ticket opened."),
				p("trailrunner_kai", "Is that fair to other customers, though? Seven years of hard use and a free new jacket. Someone pays for that eventually, and it's the people buying new gear."),
				pq("old_man_ridge", "trailrunner_kai", "That's exactly the point of paying more for a company that stands behind its gear. I'd rather pay $20 more up front and know I'm covered."),
				p("trailrunner_kai", "Fair. I just wish there were a cheaper option for people who don't care about a lifetime warranty. But I take the point."),
				p("maya_fernwood", "Good discussion, and it's a question we ask ourselves internally too. The short version: repairs and replacements cost us less than people think, and customers who use the promise tend to buy from us again. It's not charity; it's how we want to run the company."),
				p("tomasz_k", "Mod hat on: this is a good example of disagreeing well. Thanks, both."),
				p("greta.nord", "Update: they offered a replacement, and I took store credit instead, towards a Drift Hoody. Very happy."),
			},
		},
		{
			forum: "warranty-and-repairs", author: "dan-the-van", age: 430,
			title: "Repair took 7 weeks and nobody answered my emails",
			body: `I'll try to keep this civil. I sent my Squall jacket in for a zipper repair **seven weeks ago**. The FAQ says about three weeks. I've emailed twice with my ticket number and heard nothing back. I live in a van, so I gave a friend's address, and she's been checking her mail every day.

I've liked Fernwood for years, but this is really frustrating. Has anyone else had this happen recently?`,
			posts: []post{
				p("switchback_sam", "Mine took about three weeks last year, so seven sounds unusual. Hope you get an answer soon."),
				p("ricardo.m", "I had something similar this spring: about five weeks and one unanswered email. It came back well repaired in the end, but the silence was the worst part."),
				p("jonas.repairs", `@dan-the-van, I'm sorry. There's no excuse for not answering your emails. I've found your ticket: the jacket was repaired three weeks ago, but the return shipment got stuck because the label was generated with an incomplete address. That's our mistake.

It's going out today by express, and I'll send you the tracking number directly. I'm also looking into why your emails never reached our queue.`),
				pq("dan-the-van", "jonas.repairs", "Thank you for actually looking into it. An incomplete address would explain a lot. Hoping it arrives soon."),
				p("old_man_ridge", "Mistakes happen. What matters is how they're fixed, and this is a good response."),
				p("dan-the-van", "Not to pile on, but \"mistakes happen\" only goes so far. Seven weeks without a reply is a long time when it's your only rain jacket."),
				pq("old_man_ridge", "dan-the-van", "That's fair. I didn't mean to brush it off."),
				p("maya_fernwood", "Following up from the community side: replies to confirmation emails from some email providers were being filtered out before they reached the repair queue. That's been fixed since yesterday. @dan-the-van, I've added a little something to your package as an apology. Thanks for raising this here; it helped other customers too."),
				p("dan-the-van", "The jacket arrived, the zipper works perfectly, and thank you for the little something (a Ramble 28!). Way more than I expected. Consider me un-frustrated."),
			},
		},
		{
			forum: "warranty-and-repairs", author: "ellie.campfire", age: 220,
			title: "Emberline igniter stopped sparking",
			body: `The piezo igniter on my Emberline (full size, bought in 2022) has stopped working. It clicks, but there's no spark.

I carry a lighter anyway, but I'd like to fix it. Any ideas?`,
			posts: []post{
				p("gearhead_gus", "Check the gap between the electrode tip and the burner. If it's been knocked, the spark jumps somewhere else or not at all. It should be about 4 mm."),
				pq("ellie.campfire", "gearhead_gus", "Just looked, and the electrode is bent right up against the burner head. That would do it."),
				p("jonas.repairs", "@gearhead_gus is right, that's the most likely cause. **Please don't try to bend the electrode back yourself**, because the ceramic insulator cracks easily. Igniter replacements are covered under the promise: open a ticket and we'll send a new igniter assembly with instructions. It's a two-screw job."),
				p("ellie.campfire", "The new igniter arrived and took two minutes to fit. Clicks and sparks like new. Thanks!"),
				p("coldfoot", "For what it's worth, piezos stop working in real cold anyway. Always carry a lighter, everyone."),
			},
		},
		{
			forum: "warranty-and-repairs", author: "marisol_r", age: 120,
			title: "Seam tape peeling on the Cedar Dome 4 fly",
			body: `After about two years, the seam tape on the inside of our Cedar Dome 4 fly is starting to peel along the main seam. It hasn't leaked yet.

Is this something to send in, or can I fix it myself?`,
			posts: []post{
				p("mossy_boots", "You can re-tape at home with iron-on seam tape, but it's fiddly on a big tent fly. With a lifetime promise, I'd just send it in."),
				p("jonas.repairs", "Peeling seam tape is a covered defect, so please do send it in. We'll re-tape the whole seam, not just the peeling section. Fly only, no need to send the whole tent. Current turnaround is about three weeks."),
				pq("marisol_r", "jonas.repairs", "Perfect, we don't have any trips planned for the next month anyway. Ticket opened."),
				p("hank_b", "Good call. I tried re-taping a fly myself once and ended up with seam tape stuck to the iron, the ironing board and the cat."),
			},
		},
	}
}
