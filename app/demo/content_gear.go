package demo

func gearThreads() []threadSpec {
	return []threadSpec{
		{
			forum: "gear-talk", author: "switchback_sam", age: 1,
			title: "First night with the new Ridgeline 2P fly: it really doesn't sag",
			body: `Quick one: I got the new Ridgeline 2P last week and spent last night in steady rain at about 8 °C. The new polyester fly barely sagged. I didn't get up once to re-tension it, which is a first for me in a Ridgeline. The color-coded corners are great for pitching with cold hands, too.

Only complaint: the new stuff sack is a tight fit. It took me three tries to get everything back in.`,
			posts: []post{
				p("gearhead_gus", "Good to hear! Did you weigh it? I'm curious whether the 1.49 kg claim holds up."),
				pq("switchback_sam", "gearhead_gus", "Of course I thought of you. 1,503 g with all the stakes and stuff sacks, so pretty close."),
			},
		},
		{
			forum: "gear-talk", author: "priya.treks", age: 900,
			title: "Ridgeline 2P or Ridgeline 1P for a solo hiker who likes space?",
			body: `I mostly hike solo, but I'm 5'10" and I like to keep my pack inside the tent when it rains. The 1P is about 400 g lighter.

Is the 2P worth the extra weight for one person? Has anyone made this exact choice?`,
			posts: []post{
				p("switchback_sam", "I use the 2P solo and I'd make the same choice again. Pack inside, boots in the vestibule, room to change clothes without doing yoga. 400 g is less than a full water bottle."),
				p("trailrunner_kai", "Counterpoint: get the 1P. Its vestibule takes a 50 L pack if you lay it on its side. If you're doing long days you'll feel the weight more than you'll enjoy the space."),
				p("gearhead_gus", "Numbers from my scale: the 1P with stakes and stuff sacks is 1,268 g, the 2P is 1,681 g. The 1P floor is 213 × 76 cm, the 2P is 218 × 132 cm. So the 2P is almost twice as wide for a third more weight."),
				pq("priya.treks", "gearhead_gus", "Twice as wide for a third more weight. Put like that, it's hard to argue with. Thank you for actually weighing things!"),
				p("lena.hikes", "One more vote for the 2P if you get a lot of rain. Being stuck in a 1P through a whole day of weather is miserable. In the 2P you can at least sit up and read."),
				p("northbound_nina", "I used the 1P on the PCT and loved it, but that's a mostly dry trail. Where do you usually hike? That matters more than anything else here."),
				pq("priya.treks", "northbound_nina", "Mostly the Cascades, so... rain. Sounds like it's the 2P. Thanks, everyone, this was really helpful."),
			},
		},
		{
			forum: "gear-talk", author: "switchback_sam", age: 1230,
			title: "Stratus 55 hip belt keeps slipping: am I packing it wrong?",
			body: `After about an hour of hiking, the hip belt on my Stratus 55 slides down and all the weight ends up on my shoulders. I've tightened it until it hurts. The load is around 13 kg for a weekend.

Things I've tried:

- Tightening the belt more (painful, still slips)
- Loosening the shoulder straps
- Moving the heavy stuff higher up

Is this a fit problem or a me problem?`,
			posts: []post{
				p("quietpines", "What torso length is the pack set to, and what's your measured torso length? A belt that sits too low because the torso setting is too long will slip no matter how tight it is."),
				pq("switchback_sam", "quietpines", "Honestly, I never measured. It's on the M setting, which is what the shop set it to."),
				p("quietpines", "Measure from the bony bump at the base of your neck (C7) down to the top of your hip bones. The belt padding should be centered on the top of your hip bones, not on your waist. I bet you're on the wrong setting."),
				p("hank_b", "Also check the load lifters. If they're slack, the top of the pack pulls backwards and drags the belt down with it. They should sit at roughly a 45° angle."),
				p("mossy_boots", "Some people's hips just don't get along with a given belt. If everything else is right, a strip of grippy silicone-printed fabric on the inside of the belt helps. I sewed one onto mine."),
				p("jonas.repairs", "From the Fernwood side: the Stratus 55 belt comes in S, M and L and can be swapped, even on older packs. If you're between sizes, the smaller belt usually holds better. Any Fernwood dealer can swap it for you, or we can mail one out."),
				p("switchback_sam", "Update: I measured a 46 cm torso, which is the **S** setting, not M. Moved it down and the belt now sits right on my hip bones. Did a 10-mile day yesterday with no slipping at all. Thank you, @quietpines and @hank_b!"),
				p("wren.alder", "Love a thread with a happy ending. This is probably the single most common pack fit problem, so I'm adding it to the FAQ."),
			},
		},
		{
			forum: "gear-talk", author: "coldfoot", age: 640,
			title: "Emberline stove below freezing: what's your experience?",
			body: `Winter user here. My Emberline (full size, not the Mini) is fine down to about -10 °C with a winter-blend canister, and then the output drops off a cliff. I know that's physics, not the stove, but I'm curious what tricks people use.

Mine so far:

1. Canister inside my jacket until it's time to cook.
2. Canister sitting in a shallow dish of water (liquid water, obviously).
3. Start with a small flame, let it stabilize, then open it up.`,
			posts: []post{
				p("ellie.campfire", "Sleeping with the canister at the bottom of my sleeping bag makes a big difference in the morning. Also put a square of closed-cell foam under the canister so it isn't sitting on snow."),
				p("alpine_ahmed", "On ski tours I use the Emberline until about -15 and then switch to a liquid fuel stove. Not a Fernwood one, sorry, Fernwood. There's just no other way in real cold."),
				pq("coldfoot", "alpine_ahmed", "Same here, honestly. I'm mostly trying to stretch the canister stove's range, because it's so much nicer to use."),
				p("gearhead_gus", "Worth knowing that the fuel blend matters a lot. Canisters with more propane or isobutane keep working at lower temperatures than mostly-butane ones. Check the label: some cheap canisters are mainly n-butane, which basically stops vaporizing around 0 °C."),
				p("greta.nord", "I run a strip of copper wire from the burner down to the canister, so a little heat gets conducted back. Careful and at your own risk, but it works for me down to about -18."),
				p("maya_fernwood", "I have to say this officially, sorry: please don't modify the stove or put anything between the burner and the canister beyond what came in the box. Heat exchangers and wraps can overheat the canister, and that's genuinely dangerous. Warming the canister with body heat or a water bath is the safe approach."),
				pq("greta.nord", "maya_fernwood", "Fair enough, and I'd never recommend it to a beginner. Consider my copper wire withdrawn from the record."),
				p("old_man_ridge", "Or melt snow at lunch when it's warmest and fill a thermos. Worked for me for forty winters."),
				p("coldfoot", "Good ideas, thanks, all. Thermos, plus canister in the sleeping bag, plus the water dish it is. And if you want a proper winter stove from Fernwood, add your voice in the ideas megathread. I already did."),
			},
		},
		{
			forum: "gear-talk", author: "lena.hikes", age: 580,
			title: "Squall jacket wetting out after two seasons",
			body: `My Squall jacket is two seasons old and the outer fabric now soaks through. It doesn't leak exactly, but it goes dark and heavy and I feel clammy inside.

Is it done, or can I fix this?`,
			posts: []post{
				p("mossy_boots", "That's almost certainly the DWR (the water-repellent finish on the outside) wearing off, not the membrane failing. Wash it with a technical wash, not regular detergent, then tumble dry on low heat for 20 minutes. Heat reactivates a lot of the DWR."),
				pq("lena.hikes", "mossy_boots", "Tumble dry? I always thought heat was bad for waterproof jackets."),
				p("jonas.repairs", `For the Squall, low heat in the dryer is fine and actually recommended. The care label says so too, although it's tiny. If water still doesn't bead after washing and drying, use a spray-on DWR treatment and dry it again.

If it actually **leaks** (water inside, not just clamminess), that's a different story and a warranty question. Open a ticket and we'll take a look.`),
				p("gearhead_gus", "Worth adding: sunscreen and pack straps wear the DWR off fastest on the shoulders. That's usually where wetting out starts."),
				p("lena.hikes", "Washed it with a tech wash, tumbled it on low, and it beads like new. I had no idea. Thank you!"),
				p("switchback_sam", "Bookmarking this. Mine's been wetting out on the shoulders for months and I'd assumed it was dead."),
				p("old_man_ridge", "In my day we waxed our jackets, and we liked it."),
			},
		},
		{
			forum: "gear-talk", author: "gearhead_gus", age: 1000,
			title: "I weighed every piece of Fernwood gear I own (table inside)",
			body: `Since people keep asking for real weights, here's everything I own from Fernwood, weighed on a kitchen scale accurate to 1 g. Claimed weights from the website for comparison.

| Item | Measured | Claimed |
|---|---|---|
| Ridgeline 2P (all parts) | 1,681 g | 1,680 g |
| Ridgeline 1P | 1,268 g | 1,250 g |
| Stratus 55 (M, with lid) | 1,512 g | 1,490 g |
| Ramble 28 | 702 g | 690 g |
| Emberline stove | 88 g | 85 g |
| Emberline Mini | 61 g | 59 g |
| Squall jacket (men's M) | 318 g | 310 g |
| Drift Hoody (men's M) | 364 g | 360 g |

**Summary:** Fernwood's numbers are honest. Everything is within 2% of the claim, which is better than most brands I've weighed. Stuff sacks are included in my numbers.`,
			posts: []post{
				p("tomasz_k", "This is great, thanks, Gus. Pinning doesn't really fit Gear Talk, but I've linked it from the FAQ."),
				p("trailrunner_kai", "Seeing the Stratus at 1.5 kg in writing hurts. Any idea where the weight is? The frame?"),
				pq("gearhead_gus", "trailrunner_kai", "Lid 142 g, hip belt 198 g, frame sheet plus aluminum stay about 310 g. Leaving the lid at home is the easy win."),
				p("old_man_ridge", "1.5 kg for a pack that will last twenty years is a bargain. My 1994 pack weighed 2.9 kg and it's still going."),
				p("priya.treks", "Is the Emberline Mini noticeably worse than the full-size one? A 27 g difference doesn't seem worth it to me."),
				pq("ellie.campfire", "priya.treks", "The full-size has a wider burner and handles wind much better. The Mini is great for boiling water, but if you cook real food, get the full-size. 27 g is nothing."),
				p("maya_fernwood", "Love this, Gus. I've shared it with our product team, who were pleased to see the numbers hold up. The extra on the 1P is probably the guyline cord. We're looking into it."),
				p("fieldnotes", "Could you weigh my camera bag next? I'm scared of the answer."),
				pq("gearhead_gus", "fieldnotes", "Bring it to the next Trail Club meetup and I'll bring the scale."),
				p("lena.hikes", "For the record, my Squall (women's S) is 287 g, so the women's cut comes in a bit lighter as well."),
			},
		},
		{
			forum: "gear-talk", author: "tobi_w", age: 410,
			title: "Is the Drift Hoody enough as my only insulation in shoulder season?",
			body: `Budget question. I can afford one insulated jacket this year and I'm looking at the Drift Hoody.

My trips are spring and autumn in the Midwest, with nights around 0 to 5 °C. Is it enough on its own in camp, with a fleece and a base layer underneath? Or do I need something heavier?`,
			posts: []post{
				p("quietpines", "For 0 to 5 °C in camp with a fleece underneath, yes, the Drift is enough for most people. The main risk is standing around in wind, so pitch somewhere sheltered and get into your sleeping bag when you start to feel cold."),
				p("alpine_ahmed", "Agree with @quietpines. Also bring a warm hat. A good beanie is cheaper than upgrading the jacket and makes a huge difference."),
				p("marisol_r", "I run cold, and I'm comfortable in the Drift down to about 3 °C with a fleece. Below that I want my sleeping bag. So it depends a bit on you."),
				p("tobi_w", "Is the down OK if it gets damp? Autumn in the Midwest is pretty humid."),
				pq("jonas.repairs", "tobi_w", "The Drift uses hydrophobic-treated 800-fill down, so it copes with humidity better than untreated down. It won't survive a soaking, though. Keep it in a dry bag inside your pack, and wear the Squall over it if it's drizzling in camp."),
				p("tobi_w", "Perfect, that settles it. Ordering the Drift. Thanks, everyone."),
			},
		},
		{
			forum: "gear-talk", author: "marisol_r", age: 850,
			title: "Cedar Dome 4 with two kids and a dog: an honest review",
			body: `We've used the Cedar Dome 4 for a full summer of car camping with two kids (7 and 9) and Pepper, our labrador. Here's an honest review, since a lot of reviews out there are clearly written by people who used the tent twice.

**Good**

- Pitching takes about 10 minutes with two adults, or 20 with "help" from the kids.
- It stayed completely dry through a thunderstorm that flattened our neighbor's tent.
- The mesh pockets above the door are perfect for headlamps.

**Not so good**

- Four people fit. Four people plus a 30 kg dog is tight.
- The vestibule is small for a family tent, so muddy boots end up inside.
- The floor scratches easily if your dog has claws, which ours does.

Overall 4 out of 5. We're keeping it.`,
			posts: []post{
				p("juniper_jo", "An old blanket on the tent floor saved mine from Biscuit's claws. Worth it."),
				p("hank_b", "Great review. The vestibule is the one thing I'd change too. A big front vestibule makes a huge difference with kids."),
				pq("marisol_r", "juniper_jo", "Good idea. We have an old picnic blanket that's about the right size. Trying it next trip."),
				p("maya_fernwood", "Thank you for such a thorough review, @marisol_r. I've shared the vestibule feedback with the team. There's a vestibule extension for the Cedar Dome 4 in testing right now, which may be good news for you."),
				p("switchback_sam", "Thunderstorm-proof is a big deal. Our old cheap tent folded like a lawn chair in its first real storm."),
				p("marisol_r", "@maya_fernwood oh, please let me know when that extension comes out. Muddy boots in the tent are the bane of my existence."),
			},
		},
		{
			forum: "gear-talk", author: "northbound_nina", age: 1150,
			title: "Long-term review: Ramble 28 after 1,000 miles",
			body: `I've used the Ramble 28 as my daypack for the last year, on a lot of long day hikes. My rough count is a bit over 1,000 miles.

**Wear:** the shoulder straps are still like new. The bottom has some scuffs but no holes. The mesh side pocket has one small tear from a blackberry bush, which was my fault.

**Things I love:** the back panel actually breathes, and the side pockets fit a 1 L bottle you can reach with the pack on.

**Things I'd change:** the hip belt is plain webbing with no padding. Fine for 5 kg, uncomfortable at 8 kg.

Verdict: I'd buy it again.`,
			posts: []post{
				p("trailrunner_kai", "The reachable side pocket is so underrated. Thanks for the review."),
				p("mossy_boots", "Small mesh tears are easy to fix with a curved needle and some nylon thread. Catch it before it runs."),
				pq("northbound_nina", "mossy_boots", "Did exactly that last month, and it's holding so far."),
				p("kate_kayaks", "How is it in the rain? I'm thinking about it for coastal hikes."),
				pq("northbound_nina", "kate_kayaks", "Water-resistant but not waterproof. In real rain I line it with a trash compactor bag, and everything inside stays dry."),
			},
		},
		{
			forum: "gear-talk", author: "fieldnotes", age: 300,
			title: "Which Fernwood pack for a DSLR and two lenses?",
			body: `I carry a full-frame body, a 24-70 and a 70-200, plus a tripod. Right now I use a dedicated camera backpack, but it gets uncomfortable after about 8 km.

Has anyone set up a Stratus 40 or 55 as a camera pack? How do you get to the camera quickly?`,
			posts: []post{
				p("alpine_ahmed", "I used a Stratus 40 with a padded camera insert from a camera brand. Access is through the top, which is slow, so I keep the body in a chest holster and only the lenses in the pack."),
				pq("fieldnotes", "alpine_ahmed", "A chest holster is a good idea. How does it get along with the sternum strap?"),
				p("alpine_ahmed", "Clip the holster to the shoulder straps rather than across your chest, and run the sternum strap above it. It takes a bit of fiddling, but it's fine."),
				p("gearhead_gus", "The Stratus 55 has a side zip into the main compartment, which the 40 doesn't. If quick access matters, that's the one. The tripod goes on the side under the compression straps."),
				p("maya_fernwood", "Good question. A camera cube designed for the Stratus is something the team is looking at (it's come up in the ideas megathread too). For now, the Stratus 55 with a third-party insert is what a lot of photographers we know use."),
			},
		},
		{
			forum: "gear-talk", author: "old_man_ridge", age: 1350,
			title: "Old Fernwood gear from the 90s: show it off",
			body: `I've been using Fernwood gear since before some of you were born. Let's see the oldest stuff people still have. Bonus points if it still gets used.

I'll start: a **1994 Stratus 70**, external aluminum frame, leather lash patches, 2.9 kg empty. The hip belt was replaced by the Repair Center in 2009, free of charge. It's still my go-to for hauling firewood and the grandkids' gear.`,
			posts: []post{
				p("hank_b", "A 1997 Cedar Dome 6, the old heavy one with fiberglass poles. It went on every scout campout for fifteen years. It's retired now, but I can't bring myself to throw it out."),
				pq("old_man_ridge", "hank_b", "Fiberglass poles! I'd forgotten about those. Didn't they splinter in the cold?"),
				p("hank_b", "Constantly. I carried a roll of duct tape and a spare pole section on every trip. The kids thought splinting tent poles was just part of camping."),
				p("jonas.repairs", "We still have a drawer of fiberglass pole sections at the Repair Center. Nobody has the heart to throw them away either. If your Cedar Dome 6 ever wants one last trip, send me a message."),
				p("coldfoot", "A 1999 Fernwood Arctic parka, the orange one. The zipper's been replaced twice, but the down is still lofty. I wore it this morning at -28."),
				p("alpine_ahmed", "An orange Arctic parka at -28 in Fairbanks is the most Fernwood sentence I've ever read."),
				p("wren.alder", "Not the 90s, but 2003: my first Ramble daypack. Purple and teal. It was a different time."),
				pq("switchback_sam", "wren.alder", "A purple and teal Ramble! My older sister had one. Actually, I think she still does."),
				p("mossy_boots", "A 1996 Squall Classic that I rescued from a thrift store for $8. The seam tape had completely let go, so I retaped the whole jacket at home. It took an entire weekend. It's now my favorite rain jacket."),
				pq("gearhead_gus", "mossy_boots", "Retaping an entire jacket at home is a level of dedication I can only aspire to. How much does it weigh?"),
				p("mossy_boots", "672 g. I knew you'd ask."),
				p("maya_fernwood", "This thread is wonderful. Our archivist (yes, we have one, part-time) has asked whether she can use some of these stories for the company's 40th anniversary. I'll reach out to people individually, no pressure at all."),
				p("greta.nord", "A pair of 1998 Fernwood gaiters, still going. Plain green and indestructible. I've replaced the strap under the boot with cord."),
				p("kate_kayaks", "My dad's 1992 dry bag from Fernwood's short-lived paddling line. Does anybody remember that? It was bright yellow and smelled of rubber forever."),
				pq("old_man_ridge", "kate_kayaks", "I remember! That line only lasted two years. I bought the throw bag. It's still in the garage."),
				p("dan-the-van", "Not the 90s, but a 2008 Ridgeline, the very first version. It lives in the van as the emergency tent and has probably seen 200 nights."),
				p("fieldnotes", "Last year I photographed my grandfather's 1989 Fernwood frame pack for a project. It had a tin cup hanging off the side that he'd carried since the 70s. Happy to share the picture if anyone's interested."),
				pq("priya.treks", "fieldnotes", "Yes, please! I love the idea of a cup riding along for fifty years."),
				p("fieldnotes", "Here it is: https://example.com/photos/grandpa-pack (the cup is the best part)."),
				p("tomasz_k", "A 1995 Fernwood climbing harness, retired to the wall as decoration. Please do not climb in 30-year-old harnesses, people."),
				pq("old_man_ridge", "tomasz_k", "Sound advice. Anything that holds your life is where I draw the line on vintage."),
				p("lena.hikes", "My mum's 1993 Fernwood wool shirt, which I have stolen. Still the warmest thing I own, and it has exactly one moth hole."),
				p("ellie.campfire", "A 1997 Fernwood aluminum cook set, with a pot lifter that burns your fingers every single time. I love it."),
				p("northbound_nina", "No vintage gear myself, but this thread convinced me to buy a used 90s Stratus for packing my CDT resupply boxes. Wish me luck."),
				p("old_man_ridge", "Great stuff, everyone. It's good to know I'm not the only one who keeps things going. Remember: the most sustainable gear is the gear you already own."),
				p("juniper_jo", "Late to this, but: a 2001 Fernwood collapsible dog bowl that has now served three dogs. Biscuit is the first one to try to eat it."),
			},
		},
		{
			forum: "gear-talk", author: "juniper_jo", age: 200,
			title: "Best way to store a down jacket and sleeping bag long-term?",
			body: `I just moved into a small apartment with almost no closet space. Is it OK to keep my Drift Hoody and my down sleeping bag compressed in their stuff sacks between seasons?

I've heard conflicting things.`,
			posts: []post{
				p("jonas.repairs", "Please don't store down compressed for months. It slowly loses loft. Store it loose in a big cotton or mesh storage sack, somewhere dry. Under the bed works well. The Drift Hoody and our sleeping bags come with a large storage sack for exactly this reason."),
				pq("juniper_jo", "jonas.repairs", "Ahh, so that's what the giant mesh bag is for. I've been using it to carry laundry."),
				p("mossy_boots", "And make sure it's completely dry before you put it away. Damp down goes musty fast."),
				p("gearhead_gus", "If you're really short on space, hanging the jacket in a wardrobe is fine too. Just don't hang the sleeping bag by one end for months."),
			},
		},
	}
}
