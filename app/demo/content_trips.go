package demo

func tripThreads() []threadSpec {
	return []threadSpec{
		{
			forum: "trip-reports", author: "fieldnotes", age: 1400,
			title: "Show us your campsite: the photo thread",
			body: `Post a photo (or just a description, if you're shy) of a campsite you loved. Tell us where it was and what you were sleeping in.

I'll start: **Lake Ingalls basin, Washington.** Ridgeline 2P on a granite slab with the larches going gold all around. I woke up to frost on the fly and a mountain goat staring at me. https://example.com/photos/ingalls`,
			posts: []post{
				p("switchback_sam", "Second Beach on the Olympic coast. Ridgeline 2P above the tide line (I checked the tide tables twice). Sea stacks at sunset. Also raccoons, who stole a bag of trail mix right out of my vestibule."),
				p("lena.hikes", "A wild camp by Loch Etchachan in the Cairngorms. Ridgeline 1P, gusts of maybe 50 km/h, and it held up brilliantly. Photo: https://example.com/photos/etchachan"),
				pq("fieldnotes", "lena.hikes", "That light on the water is unreal. What time was that taken?"),
				p("lena.hikes", "About 10pm in June. It barely gets dark up there in summer."),
				p("coldfoot", "The White Mountains, Alaska, in February. Cedar Dome 4 as a base camp, because it's easier to move around in with bulky layers. -34 overnight, northern lights from 1am."),
				p("marisol_r", "Less wild, but: a state park campground by a river, the Cedar Dome 4, and two kids asleep by 8pm because they'd been in the water all day. Parenting perfection."),
				pq("hank_b", "marisol_r", "Kids asleep by 8pm is the true summit of family camping."),
				p("northbound_nina", "PCT mile 1,018, on a ridge above Sonora Pass. Cowboy camped, no tent at all. The stars were ridiculous."),
				p("alpine_ahmed", "A bivouac below the Dent Blanche in Switzerland. No tent, just a bivy bag and a Drift Hoody, and the hoody did most of the work."),
				p("ricardo.m", "Desert camp on the Oregon Outback route. Ridgeline 1P tied down to rocks because the ground was too hard for stakes. Coyotes singing all night."),
				p("kate_kayaks", "A tiny island off Stonington, Maine. Kayak pulled up above the seaweed, Ridgeline 2P on the only flat patch of moss. Lobster boats woke me at 5am."),
				p("greta.nord", "Ski touring in the Lyngen Alps in Norway: a snow camp with a dug-out vestibule. Fjord on one side, mountains on the other. The coldest toes of my life."),
				p("juniper_jo", "A campground off the Blue Ridge Parkway with Biscuit, who spent the whole night guarding the tent from a very suspicious moth."),
				p("trailrunner_kai", "Fastpacking the Maah Daah Hey trail. Pitched my 1P at 10pm in the lee of a cattle gate and left by 5am. Never saw the campsite in daylight, but the stars were great."),
				pq("fieldnotes", "trailrunner_kai", "Next time, take one photo before you leave. For science."),
				p("priya.treks", "I haven't camped anywhere wild yet, so I'm saving every one of these for inspiration. Snow Lake in the Cascades is first on my list."),
				pq("switchback_sam", "priya.treks", "Snow Lake is a great first trip. Go midweek if you can, it gets busy. And bring a rain jacket: Snow Lake in the rain is a rite of passage."),
				p("dan-the-van", "Honestly, my favorite campsite is wherever the van is parked. Last week: a forest road above Moab with a view of the La Sals."),
				p("tomasz_k", "The Valley of the Five Lakes in the Tatras, Poland. You can only stay at the hut up there, so it's more of a hut night than a wild camp, but the valley is unbeatable."),
				p("wren.alder", "Mod note: a few people have asked about image sizes. Photos upload fine up to 10 MB each. If yours is bigger, resize it first or post a link like @fieldnotes did."),
				p("ellie.campfire", "Ridgeline 2P at Lake Ediza in the Sierra. I made mushroom risotto on the Emberline while the sun went down behind the Minarets. Best meal of the year."),
				pq("old_man_ridge", "ellie.campfire", "Risotto in the backcountry. I used to think dinner was a bag of instant noodles and regret."),
				p("ellie.campfire", "Instant noodles are valid! But a better life is waiting for you. I'll share the recipe in the Trail Club forum soon."),
				p("mossy_boots", "Forest camp in the Lake District under my homemade tarp, with a Fernwood inner as a bug net. A bit of a frankentent, but it works."),
				p("gearhead_gus", "Lower Lyman Lake, Washington. Ridgeline 2P: 1,681 g of pure comfort. Flatness of the ground: 100%. Yes, I checked with a level."),
				p("maya_fernwood", "I can't resist: a trail crew camp in the North Cascades from my old job, years ago. Canvas wall tents, a cook who made pancakes for twelve, and the best sleep of my life after ten hours of digging."),
				pq("quietpines", "maya_fernwood", "The trail crew life! I did two summers of that. Nothing tastes as good as crew camp pancakes."),
				p("tobi_w", "A university outdoor club trip to a state forest. Four of us in one borrowed tent (not a Fernwood, sorry). Cramped, but a great trip."),
				pq("marisol_r", "tobi_w", "Borrowed gear and good friends is how most of us started. Welcome!"),
				p("kate_kayaks", "Another one from Maine: Isle au Haut, in fog so thick I couldn't see the water 20 m away. Everything was damp, but the Ridgeline inner stayed dry."),
				p("alpine_ahmed", "A summer one this time: high camp below the Grand Teton, with the Ridgeline 2P guyed out to every rock I could find. It held through an afternoon thunderstorm."),
				p("coldfoot", "Somebody needs to post a hot campsite to balance out my frozen ones. It's only fair."),
				pq("ricardo.m", "coldfoot", "Coming right up: Death Valley in April, 34 °C at 6pm. Ridgeline 1P with the fly off, mesh only, and I still sweated all night."),
				p("lena.hikes", "The Isle of Skye, near the Quiraing. The windiest night I've ever spent in a tent. I woke up every hour to check the guylines, and every one held. Never again (until next time)."),
				p("northbound_nina", "Trail camp on Mt. Whitney, the night before summit day. Cold, windy, about forty tents in a boulder field. Not scenic in the classic sense, but very memorable."),
				p("hank_b", "Boundary Waters: a rocky point on Sea Gull Lake with loons calling all night. I'll do a full trip report soon."),
				p("fieldnotes", "This thread is exactly what I hoped for. Thank you all for sharing, and keep them coming. I'm making a little map of everyone's sites."),
				p("juniper_jo", "A map would be amazing! Please put Biscuit's moth site on it."),
			},
		},
		{
			forum: "trip-reports", author: "switchback_sam", age: 1100,
			title: "Trip report: the Wonderland Trail in 9 days with the Ridgeline 2P",
			body: `I finally got around to writing this up. I did the **Wonderland Trail** around Mount Rainier last August: about 93 miles and 22,000 ft of gain, clockwise from Longmire.

**Itinerary**

| Day | Camp | Miles |
|---|---|---|
| 1 | Devil's Dream | 5.6 |
| 2 | South Puyallup | 11.4 |
| 3 | Golden Lakes | 10.9 |
| 4 | Mowich Lake | 9.2 |
| 5 | Carbon River | 8.6 |
| 6 | Mystic | 8.3 |
| 7 | Sunrise | 9.1 |
| 8 | Indian Bar | 13.7 |
| 9 | Longmire | 16.2 |

(Yes, the last two days were long. Weather was coming in and I didn't want to sit it out.)

**Gear notes**

- **Ridgeline 2P:** dry through two nights of rain, even with the old fly sagging. Pitched it eight times without a hitch.
- **Stratus 55:** 15 kg at the start with four days of food. Comfortable once I fixed my hip belt setting (see my other thread in Gear Talk).
- **Emberline:** about 1.5 canisters for nine days of two hot meals a day.

Highlight: Indian Bar at sunset. Lowlight: the Carbon River suspension bridge, with a full pack and a fear of heights.`,
			posts: []post{
				p("priya.treks", "This is so helpful, I'm hoping to do the Wonderland next year. How did you get the permit?"),
				pq("switchback_sam", "priya.treks", "Through the early access lottery in the spring. I got my third-choice itinerary. Apply with several options, because the popular camps go fast."),
				p("northbound_nina", "Indian Bar is magic. Did you see the marmots?"),
				p("switchback_sam", "About a hundred of them. One tried to eat my trekking pole grip."),
				p("gearhead_gus", "1.5 canisters for nine days is efficient. Were those 100 g or 230 g canisters?"),
				pq("switchback_sam", "gearhead_gus", "One 230 g and one 100 g, and I came home with some left in the small one. A windscreen made a big difference."),
				p("old_man_ridge", "Good report. Doing two long days at the end because of weather is a sensible call. The mountain makes the schedule, not you."),
				p("wren.alder", "Lovely write-up, thank you. The table is a great idea; I wish more trip reports had one."),
			},
		},
		{
			forum: "trip-reports", author: "lena.hikes", age: 690,
			title: "Three nights in the Cairngorms, sideways rain and all",
			body: `Went out for three nights from Glenmore over Easter, with a planned loop around Ben Macdui and the Loch Avon basin.

**Day 1** was glorious: blue skies, a light breeze, camp at Loch Etchachan.

**Day 2** the forecast changed and we got sideways rain and 60 km/h gusts on the plateau. We dropped down to the Shelter Stone for the night instead of the planned high camp.

**Day 3** cleared by the afternoon, so we went over Cairn Gorm and down.

The Ridgeline 1P was great on nights 1 and 3. The Squall jacket's hood is excellent in wind, but the wrists let water in while I was using poles. I wish the cuffs overlapped a bit more.

All in all, a proper Scottish trip.`,
			posts: []post{
				p("tomasz_k", "The Shelter Stone! I've always wanted to sleep under it. Is it as damp as people say?"),
				pq("lena.hikes", "tomasz_k", "Damper. But dry compared to the plateau, and we had it to ourselves."),
				p("alpine_ahmed", "Sensible to drop down. Plateau weather in the Cairngorms is no joke."),
				p("maya_fernwood", "Thanks for the note about the Squall cuffs, @lena.hikes. I've passed it to the apparel team. Did the water get in over the top of your gloves, or through the cuff itself?"),
				pq("lena.hikes", "maya_fernwood", "Over the top of the gloves: it ran down the poles and up my sleeves. It might just be that my gloves are too short."),
				p("greta.nord", "I had the same problem with every jacket I've owned. Long gauntlet gloves worn over the cuff fixed it for me."),
			},
		},
		{
			forum: "trip-reports", author: "priya.treks", age: 500,
			title: "First solo overnight: I did it!",
			body: `I know this is small for most of you, but I just did my first solo overnight! Six miles in, camped at a lake, six miles out.

I was nervous about being alone in the dark, and I heard about 400 noises that were definitely bears (they were not bears). But I set up the Ridgeline, cooked dinner, watched the sunset and actually slept.

Things I learned:

- Practice pitching the tent at home. I did, and it paid off.
- Bring a book. The evening is longer than you think.
- Earplugs are a cheat code for bear noises.

Thanks to everyone in Gear Talk who helped me pick my gear. It was one of the best nights I've had in years.`,
			posts: []post{
				p("switchback_sam", "This is not small at all. Congratulations! The first solo night is the hardest one."),
				pq("wren.alder", quoteOP, "\"400 noises that were definitely bears\" made me laugh out loud. Every solo hiker has been there. Well done!"),
				p("hank_b", "Practicing the pitch at home is the best advice I can give anyone, and you worked it out on your own. Proud of you."),
				p("old_man_ridge", "Well done. Forty-plus years in, and I still sometimes think a deer is a bear at 2am."),
				p("northbound_nina", "Congratulations! On my first solo night I didn't sleep at all. You're already ahead of where I was."),
				pq("priya.treks", "northbound_nina", "That's so reassuring to hear from someone who walked to Canada!"),
				p("maya_fernwood", "This made my day. Congratulations, @priya.treks. We'd love to feature your story in the newsletter if you're up for it. I'll send you a message."),
				p("juniper_jo", "A dog helps with the noises, too. Biscuit barks at every single one, so at least I know which ones to ignore. (All of them.)"),
				p("priya.treks", "Thank you all so much. Planning a two-night trip next month!"),
			},
		},
		{
			forum: "trip-reports", author: "coldfoot", age: 1250,
			title: "Winter camping at -30: what worked and what didn't",
			body: `Three nights in the White Mountains National Recreation Area last February. Overnight lows around -30 °C, daytime highs around -18.

**Worked**

- The Cedar Dome 4 as a two-person winter tent. Heavier than a dedicated four-season tent, but the room for drying gear was worth it.
- The Drift Hoody under a big parka in camp.
- Two sleeping pads (foam under an inflatable).
- A hot water bottle in the sleeping bag.

**Didn't work**

- The Emberline. Below -20 I couldn't get a useful flame, even with warmed canisters. I switched to a liquid fuel stove from day 2.
- Zipper pulls without cord loops. Impossible with mittens. I've added cord loops to everything now.
- My phone. Dead within an hour, even in an inside pocket.

Would go again tomorrow.`,
			posts: []post{
				p("greta.nord", "Cord loops on zipper pulls is the winter tip nobody tells you about. Thanks for writing this up."),
				p("alpine_ahmed", "The Cedar Dome 4 as a winter tent is an interesting choice. How did it handle snow load?"),
				pq("coldfoot", "alpine_ahmed", "It was calm, so only about 10 cm of new snow. I knocked it off the fly from the inside twice a night. I wouldn't take it out in a real storm."),
				p("jonas.repairs", "Thanks for putting the Emberline on the \"didn't work\" list, honestly. It's a three-season stove and we should say that more clearly on the product page. I've passed that on."),
				p("tobi_w", "-30 is incomprehensible to me. What's your sleeping bag rated to?"),
				pq("coldfoot", "tobi_w", "A -40 °C bag plus a liner. Temperature ratings are optimistic, so go well below the lowest temperature you expect."),
				p("quietpines", "Great report. Saving this for the Trail Club winter skills session."),
			},
		},
		{
			forum: "trip-reports", author: "hank_b", age: 260,
			title: "Boundary Waters canoe trip with a scout troop",
			body: `We took eight scouts (ages 13 to 16) and three adults on a five-day trip into the Boundary Waters from the Sea Gull Lake entry point. 42 miles of paddling and 14 portages.

A few notes for anyone taking a group:

1. **Portage packs:** we used two old Stratus 70s. Big, awkward and absolutely perfect for the job.
2. **Tents:** three Cedar Dome 4s for the scouts and two Ridgeline 2Ps for the adults. Everyone stayed dry, including through a long night of thunderstorms on day 3.
3. **Food:** plan on teenagers eating twice what you think. Then add more.

The best moment: kids who'd been on their phones for the entire drive up spent an hour watching a moose in the shallows without saying a word.`,
			posts: []post{
				p("old_man_ridge", "Two old Stratus 70s as portage packs! Good to see them still in service."),
				p("kate_kayaks", "The moose story is wonderful. That's what it's all about."),
				p("marisol_r", "Teenagers eating twice what you think is true in every setting. My nephew once ate a whole bag of bagels at breakfast."),
				p("quietpines", "Would you be up for a short talk at the next Trail Club meetup about planning group trips? A lot of members have asked about it."),
				pq("hank_b", "quietpines", "Happy to. I'll bring pictures of the moose."),
			},
		},
		{
			forum: "trip-reports", author: "ricardo.m", age: 930,
			title: "Bikepacking the Oregon Outback: gear list and lessons",
			body: `Rode the Oregon Outback route (Klamath Falls to the Columbia River, about 360 miles of mostly gravel) over seven days.

**Shelter and sleep**
- Ridgeline 1P: poles in the frame bag, tent body in the seat pack
- Summer sleeping bag, inflatable pad

**Kitchen**
- Emberline Mini, one canister, titanium mug

**Clothes**
- Squall jacket, Drift Hoody, one set of riding clothes, one set of camp clothes

**Lessons**
- The water carries are long. I had 6 liters of capacity and used all of it on day 3.
- Washboard gravel shakes everything loose. Check your bolts every morning.
- The 1P is the perfect bikepacking tent: small packed size and a fast pitch.

I'd happily do it again, with slightly lower gearing.`,
			posts: []post{
				p("trailrunner_kai", "How did you split the tent? Poles in the frame bag is clever."),
				pq("ricardo.m", "trailrunner_kai", "Poles in the frame bag, body and fly rolled up together in the seat pack, stakes in a top tube bag. It balanced out well."),
				p("dan-the-van", "360 miles of washboard sounds like my van's suspension every weekend."),
				p("gearhead_gus", "6 liters of water is 6 kg. What was your total weight, bike plus gear?"),
				pq("ricardo.m", "gearhead_gus", "About 31 kg fully loaded with water, bike included. Around 25 kg without the water."),
				p("maya_fernwood", "Great write-up. Bikepacking bags keep coming up in the ideas megathread, so you're in good company. @ricardo.m, would you be up for testing prototypes if that ever happens?"),
			},
		},
		{
			forum: "trip-reports", author: "juniper_jo", age: 150,
			title: "Dog-friendly loop near the Smokies (with a very tired pup)",
			body: `Note first: dogs aren't allowed on most trails inside Great Smoky Mountains National Park itself, so this was a loop in the national forest just south of the park. Two nights, about 18 miles, with Biscuit.

- Biscuit carried her own food in a dog pack (not a Fernwood one, because they don't make one, hint hint).
- The Ridgeline 2P fits one human and one border collie comfortably. She slept on my jacket.
- Bring more water for the dog than you think you'll need.

She slept for 14 hours after we got home.`,
			posts: []post{
				p("marisol_r", "Pepper would love this. Which national forest was it?"),
				pq("juniper_jo", "marisol_r", "The Nantahala, around the Joyce Kilmer area. Lots of creeks, and dogs on leash were fine everywhere I went."),
				p("trailrunner_kai", "Fourteen hours of sleep is the correct response to 18 miles."),
				p("quietpines", "Thanks for putting the park rule right at the top. People ask about it all the time, and it saves a lot of disappointment at trailheads."),
			},
		},
		{
			forum: "trip-reports", author: "kate_kayaks", age: 90,
			title: "Sea kayak trip: keeping a tent dry in a kayak hatch",
			body: `Three days of island hopping in Penobscot Bay. The hard part wasn't the paddling, it was keeping the gear dry. Hatches leak, and everything that comes out of them is salty.

What worked for me:

- Splitting the Ridgeline 2P: fly in one dry bag, inner and poles in another, so a wet fly never touches the inner.
- Everything else in dry bags, inside a hatch.
- Rinsing the tent with fresh water back home. Salt wrecks zippers.

What I'd like: a pole set with shorter segments, so the poles fit in the day hatch.`,
			posts: []post{
				p("mossy_boots", "Rinsing the salt off zippers is so important. Corroded sliders are half the repairs I do for friends."),
				p("jonas.repairs", "Agree with @mossy_boots, and add a tiny bit of zipper lubricant after rinsing. A short-segment pole set is an interesting idea. I'll ask the tent team whether it's possible for the Ridgeline."),
				p("hank_b", "Splitting the fly and the inner into separate bags is smart. We do the same on canoe trips."),
				p("kate_kayaks", "Thanks, @jonas.repairs. A short-segment set would be a dream."),
			},
		},
	}
}
