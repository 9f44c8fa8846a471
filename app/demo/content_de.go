package demo

// germanThreads are the German-language forum's threads. The forum's
// language is "de", so its posts are indexed with the German analyzer:
// the text uses the inflected forms people really write (Kundendienst,
// Kundendienstes, Kundendienste; Kocher, Kochern; Hüttentour, Hüttentouren),
// so a search for one form finds the others.
func germanThreads() []threadSpec {
	return []threadSpec{
		{
			forum: "fernwood-de", author: "jana.fernwood", age: 1300, pinned: true,
			title: "Willkommen im deutschsprachigen Forum von Fernwood",
			body: `Hallo zusammen und herzlich willkommen!

Ich bin Jana und betreue bei **Fernwood Outdoor** die Community in Deutschland, Österreich und der Schweiz. Hier könnt ihr auf Deutsch fragen, berichten und diskutieren: über Zelte, Rucksäcke, Kocher, Touren und natürlich auch über unseren Kundendienst.

Ein paar Hinweise:

- **Reparaturen und Garantie:** Das lebenslange Reparaturversprechen gilt auch bei uns. Tickets könnt ihr auf Deutsch öffnen; das Repair Center in Leipzig antwortet werktags.
- **Tourenberichte:** Fotos sind ausdrücklich erwünscht.
- **Umgangston:** freundlich, hilfsbereit, gern auch mal mit einem Augenzwinkern.

Englische Beiträge sind hier natürlich auch in Ordnung. Viel Spaß!`,
			posts: []post{
				p("lukas.berg", "Endlich! Ich lese schon lange im englischen Forum mit, aber auf Deutsch schreibt es sich doch leichter. Grüße aus dem Allgäu."),
				p("anke_wandert", "Schön, dass es das jetzt gibt. Ich bin vor allem im Harz und im Thüringer Wald unterwegs und freue mich auf den Austausch."),
				pq("jana.fernwood", "anke_wandert", "Willkommen, Anke! Der Rennsteig steht bei mir auch noch auf der Liste. Vielleicht schreibst du ja mal einen Tourenbericht?"),
				p("tomasz_k", "Hallo aus Krakau! Mein Deutsch ist etwas eingerostet, aber ich moderiere hier gern mit. Bei Fragen zur Tatra bin ich euer Mann."),
			},
		},
		{
			forum: "fernwood-de", author: "lukas.berg", age: 420,
			title: "Erfahrungen mit dem Kundendienst bei einer Zeltreparatur",
			body: `Servus miteinander,

bei meinem Ridgeline 2P ist nach vier Jahren der Reißverschluss an der Eingangstür ausgerissen. Ich habe letzte Woche zum ersten Mal den Kundendienst von Fernwood kontaktiert und wollte kurz berichten, wie das lief.

1. Ticket auf Deutsch geöffnet, drei Fotos angehängt.
2. Nach einem Tag kam eine Antwort mit Kostenvoranschlag (38 Euro inklusive Rückversand).
3. Zelt eingeschickt, nach neun Tagen repariert wieder da.

Ich bin ehrlich gesagt positiv überrascht. Wie sind eure Erfahrungen mit dem Kundendienst, auch bei anderen Marken?`,
			posts: []post{
				p("matthias_k", "Deckt sich mit meiner Erfahrung. Bei meinem Stratus 55 war eine Schnalle gebrochen, die haben sie mir einfach kostenlos geschickt. Ganz ohne Einschicken."),
				p("sophie.radelt", "Ich habe schon einige Kundendienste von Outdoor-Marken durch, und ehrlich: Die meisten Kundendienste antworten erst nach Wochen und dann mit Textbausteinen. Neun Tage für eine Reparatur ist richtig gut."),
				pq("anke_wandert", "sophie.radelt", "Das kann ich leider bestätigen. Bei einer anderen Marke habe ich auf eine Antwort des Kundendienstes fast einen Monat gewartet. Am Ende habe ich die Jacke selbst geflickt."),
				p("jana.fernwood", `Danke für den ausführlichen Bericht, @lukas.berg! Kurz zur Einordnung: Ein ausgerissener Reißverschluss nach vier Jahren zählt bei uns meist als Verschleiß, deshalb der faire Preis statt einer kostenlosen Reparatur. Bei Material- oder Verarbeitungsfehlern zahlt ihr nichts.

Und falls jemand fragt: Ja, der Kundendienst antwortet auch auf Schweizerdeutsch, zumindest versucht er es.`),
				p("mossy_boots", "Sorry for answering in English: if the zipper tape itself is torn, ask them to replace the whole zip rather than just the slider. It lasts much longer."),
				pq("lukas.berg", "mossy_boots", "Thanks, genau das haben sie gemacht: komplett neuer Reißverschluss. Läuft jetzt besser als am ersten Tag."),
			},
		},
		{
			forum: "fernwood-de", author: "anke_wandert", age: 260,
			title: "Tourenbericht: Drei Tage auf dem Rennsteig im Oktober",
			body: `Wie versprochen mein Bericht vom Rennsteig. Wir waren zu zweit unterwegs, von Hörschel bis Oberhof, also etwa 90 Kilometer in drei Tagen.

**Tag 1:** Start bei Sonnenschein, viel Buchenwald, erste Übernachtung in einer Pension in Ruhla. Die Beine waren abends schwerer als gedacht.

**Tag 2:** Dauerregen. Die Squall-Jacke hat dicht gehalten, die Regenhose leider nicht ganz. Mittags in einer Schutzhütte den Emberline angeworfen und Nudeln gekocht. Das hat die Stimmung gerettet.

**Tag 3:** Nebel, dann Sonne über dem Großen Inselsberg. Bestes Licht der ganzen Tour.

Fazit: Der Rennsteig ist perfekt für Einsteiger, die mehrere Tage am Stück wandern wollen. Die Hütten und Pensionen liegen günstig, Wasser gibt es überall.`,
			posts: []post{
				p("lukas.berg", "Schöner Bericht! Wie schwer war dein Rucksack ungefähr? Ich überlege, ob man mit Übernachtungen in Pensionen auch mit 30 Litern hinkommt."),
				pq("anke_wandert", "lukas.berg", "Knapp acht Kilo inklusive Wasser und Kocher. 30 Liter reichen locker, wenn man nicht zeltet."),
				p("jana.fernwood", "Danke, Anke! Den Bericht nehmen wir gern in den nächsten Newsletter auf, wenn du einverstanden bist. Die Fotos vom Inselsberg sind großartig."),
				p("sophie.radelt", "Den Rennsteig gibt es übrigens auch als Radweg. Ich bin ihn letztes Jahr mit dem Gravelbike gefahren, deutlich anstrengender als gedacht."),
				p("greta.nord", "Beautiful! I only understand half of it, but the photos speak for themselves. Adding Thüringen to my list."),
			},
		},
		{
			forum: "fernwood-de", author: "matthias_k", age: 120,
			title: "Welcher Kocher für Wintertouren in den Alpen?",
			body: `Hallo zusammen,

ich plane für Februar eine Skitour mit zwei Nächten im Winterraum. Bisher habe ich den Emberline nur im Sommer benutzt. Jetzt frage ich mich, ob der Kocher bei minus 15 Grad noch zuverlässig läuft oder ob ich lieber auf einen Benzinkocher umsteige.

Welche Kocher nutzt ihr im Winter, und was muss ich bei Gaskartuschen in der Kälte beachten?`,
			posts: []post{
				p("alpine_ahmed", "I do a lot of winter ski touring: the Emberline works fine at -15 °C with a winter gas mix. Keep the canister inside your jacket until you cook."),
				pq("matthias_k", "alpine_ahmed", "Danke! Also die Kartusche im Schlafsack oder in der Jacke vorwärmen. Gibt es die Wintermischung auch in kleinen Kartuschen?"),
				p("lukas.berg", "Ja, die gibt es in 230 Gramm. Bei längeren Touren würde ich trotzdem über einen Benzinkocher nachdenken. Mit zwei Kochern im Vergleich habe ich gemerkt: Der Gaskocher ist bequemer, der Benzinkocher läuft bei richtiger Kälte aber zuverlässiger."),
				p("tomasz_k", "In der Tatra nehme ich im Winter immer einen Windschutz und eine kleine Unterlage mit, damit die Kartusche nicht direkt auf dem Schnee steht. Das macht viel aus."),
				p("jana.fernwood", `Offizielle Antwort vom Team: Der Emberline ist bis etwa minus 20 Grad freigegeben, **wenn** ihr eine Wintermischung verwendet und die Kartusche warm haltet. Bitte niemals eine Kartusche direkt erhitzen.

Im Winterraum außerdem immer gut lüften, auch wenn es draußen eisig ist.`),
				p("matthias_k", "Super, danke euch allen. Ich bleibe beim Emberline, nehme die Wintermischung und einen Windschutz mit und berichte nach der Tour."),
			},
		},
		{
			forum: "fernwood-de", author: "sophie.radelt", age: 30,
			title: "Hüftgurt drückt beim Stratus 55: Tipps zur Einstellung?",
			body: `Ich habe mir einen Stratus 55 gekauft und bin bisher zwei Tagestouren damit gelaufen. Leider drückt der Hüftgurt nach zwei, drei Stunden ziemlich unangenehm auf die Beckenknochen.

Liegt das an der Einstellung, oder passt mir der Rucksack einfach nicht? Ich bin 1,68 m groß und habe Größe M genommen.`,
			posts: []post{
				p("anke_wandert", "Klingt nach falscher Einstellung. Der Hüftgurt sollte mittig auf den Beckenknochen sitzen, nicht darüber. Erst den Hüftgurt festziehen, dann die Schultergurte, dann die Lageverstellriemen."),
				p("lukas.berg", "Bei mir hat es geholfen, den Rückenlängen-Klettverschluss eine Stufe tiefer zu setzen. Vorher saß der Hüftgurt zu hoch und hat genau dort gedrückt."),
				pq("sophie.radelt", "lukas.berg", "Das war es! Eine Stufe tiefer, und heute waren es fünf Stunden ohne Druckstellen. Danke!"),
				p("jana.fernwood", "Freut mich! Falls es doch wieder drückt: Die Hüftgurte des Stratus gibt es in drei Größen, und im Laden oder über den Kundendienst kann man sie tauschen."),
			},
		},
	}
}
