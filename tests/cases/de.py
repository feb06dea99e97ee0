"""German notes, as German books, journals and newsrooms print them: „…“, S., Vgl., Ebd., a. a. O., hrsg. von, in:."""

from __future__ import annotations

from typing import Any

Case = tuple[str, str | None, list[dict[str, Any]]]

CASES: list[Case] = [
    # --- Presse
    (
        "„Terror in Mali“, Frankfurter Allgemeine Zeitung, 18. September 2024.",
        None,
        [dict(kind="article-newspaper", title="Terror in Mali", outlet="Frankfurter Allgemeine Zeitung", issued="2024-09-18")],
    ),
    (
        "Christoph Reuter, „Die Rückkehr des IS“, Der Spiegel, 12. März 2024.",
        None,
        [dict(kind="article-newspaper", authors=["Christoph Reuter"], title="Die Rückkehr des IS", outlet="Der Spiegel", issued="2024-03-12")],
    ),
    (
        "Vgl. „Bundeswehr verlässt Mali“, Süddeutsche Zeitung, 12. Dezember 2023.",
        None,
        [dict(kind="article-newspaper", title="Bundeswehr verlässt Mali", outlet="Süddeutsche Zeitung", issued="2023-12-12", lead_in="Vgl.")],
    ),
    (
        "„Der Putsch in Niger“, Die Zeit, 27.07.2023.",
        None,
        [dict(kind="article-newspaper", title="Der Putsch in Niger", outlet="Die Zeit", issued="2023-07-27")],
    ),
    (
        "Thomas Gutschker, „Europas Scheitern im Sahel“, Frankfurter Allgemeine Zeitung, 3. August 2023, S. 3.",
        None,
        [
            dict(
                kind="article-newspaper",
                authors=["Thomas Gutschker"],
                title="Europas Scheitern im Sahel",
                outlet="Frankfurter Allgemeine Zeitung",
                issued="2023-08-03",
                page="3",
            )
        ],
    ),
    (
        "„Dschihadisten auf dem Vormarsch“, Neue Zürcher Zeitung, 5. Januar 2024.",
        None,
        [dict(kind="article-newspaper", title="Dschihadisten auf dem Vormarsch", outlet="Neue Zürcher Zeitung", issued="2024-01-05")],
    ),
    (
        "„Russland in Afrika“, Die Welt, 9. Februar 2023, https://www.welt.de/politik/ausland/article243691234/russland-afrika.html.",
        None,
        [
            dict(
                kind="article-newspaper",
                title="Russland in Afrika",
                outlet="Die Welt",
                issued="2023-02-09",
                url="https://www.welt.de/politik/ausland/article243691234/russland-afrika.html",
            )
        ],
    ),
    (
        "Dominic Johnson, „Mali ohne Blauhelme“, die tageszeitung, 30. Juni 2023.",
        None,
        [dict(kind="article-newspaper", authors=["Dominic Johnson"], title="Mali ohne Blauhelme", outlet="die tageszeitung", issued="2023-06-30")],
    ),
    (
        "„Anschläge im Sahel nehmen zu“, Deutsche Welle, 14. Mai 2024.",
        None,
        [dict(kind="article-newspaper", title="Anschläge im Sahel nehmen zu", outlet="Deutsche Welle", issued="2024-05-14")],
    ),
    (
        "„Niger: Militär setzt Verfassung aus“, Tagesschau, 28. Juli 2023.",
        None,
        [dict(kind="article-newspaper", title="Niger: Militär setzt Verfassung aus", outlet="ARD Tagesschau", issued="2023-07-28")],
    ),
    (
        "„Der Krieg im Sudan“, Der Standard, 2. Mai 2024.",
        None,
        [dict(kind="article-newspaper", title="Der Krieg im Sudan", outlet="Der Standard", issued="2024-05-02")],
    ),
    (
        "„Die Wagner-Gruppe in Afrika“, Deutschlandfunk, 24. August 2023.",
        None,
        [dict(kind="article-newspaper", title="Die Wagner-Gruppe in Afrika", outlet="Deutschlandfunk", issued="2023-08-24")],
    ),
    (
        "„Mali: Neue Gewalt im Norden“, Handelsblatt, 4. Oktober 2023.",
        None,
        [dict(kind="article-newspaper", title="Mali: Neue Gewalt im Norden", outlet="Handelsblatt", issued="2023-10-04")],
    ),
    (
        "Hans Müller und Petra Schmidt, „Terror ohne Grenzen“, Der Tagesspiegel, 6. Juni 2022.",
        None,
        [dict(kind="article-newspaper", authors=["Hans Müller", "Petra Schmidt"], title="Terror ohne Grenzen", outlet="Der Tagesspiegel", issued="2022-06-06")],
    ),
    # --- Bücher
    (
        "Guido Steinberg, Der nahe und der ferne Feind (München: C.H. Beck, 2005), S. 45.",
        None,
        [
            dict(
                kind="book",
                authors=["Guido Steinberg"],
                title="Der nahe und der ferne Feind",
                outlet="C.H. Beck",
                issued="2005",
                page="45",
                publisher_place="München",
            )
        ],
    ),
    (
        "Herfried Münkler, Die neuen Kriege (Reinbek: Rowohlt, 2002), 7–12.",
        None,
        [dict(kind="book", authors=["Herfried Münkler"], title="Die neuen Kriege", outlet="Rowohlt", issued="2002", page="7–12", publisher_place="Reinbek")],
    ),
    (
        "Vgl. Peter Waldmann, Terrorismus: Provokation der Macht (Hamburg: Murmann, 2005), 11.",
        None,
        [
            dict(
                kind="book",
                authors=["Peter Waldmann"],
                title="Terrorismus: Provokation der Macht",
                outlet="Murmann",
                issued="2005",
                page="11",
                publisher_place="Hamburg",
                lead_in="Vgl.",
            )
        ],
    ),
    (
        "Daniel Gerlach, *Herrschaft über Syrien* (Hamburg: Edition Körber, 2015), 88.",
        None,
        [
            dict(
                kind="book",
                authors=["Daniel Gerlach"],
                title="Herrschaft über Syrien",
                outlet="Edition Körber",
                issued="2015",
                page="88",
                publisher_place="Hamburg",
            )
        ],
    ),
    (
        "Behnam T. Said, Islamischer Staat (München: C.H. Beck, 2014), S. 20–24.",
        None,
        [dict(kind="book", authors=["Behnam T. Said"], title="Islamischer Staat", outlet="C.H. Beck", issued="2014", page="20–24", publisher_place="München")],
    ),
    # --- Aufsätze und Sammelbände
    (
        "Wolfgang Heinrich, „Gewalt im Sahel“, Blätter für deutsche und internationale Politik 68, Nr. 3 (2023): 45–52.",
        None,
        [
            dict(
                kind="article-magazine",
                authors=["Wolfgang Heinrich"],
                title="Gewalt im Sahel",
                outlet="Blätter für deutsche und internationale Politik",
                issued="2023",
                volume="68",
                issue="3",
                page="45–52",
            )
        ],
    ),
    (
        "Annette Weber, „Die Sahelzone“, in Krisenregionen der Welt, hrsg. von Jane Roe (Berlin: Suhrkamp, 2019), 33–50.",
        None,
        [
            dict(
                kind="chapter",
                authors=["Annette Weber"],
                title="Die Sahelzone",
                outlet="Krisenregionen der Welt",
                issued="2019",
                page="33–50",
                publisher_place="Berlin",
                publisher="Suhrkamp",
                editors=["Jane Roe"],
            )
        ],
    ),
    (
        "Stephan Rosiny, „Der Islamische Staat“, Zeitschrift für Politik 62, Nr. 2 (2015): 150–168.",
        None,
        [
            dict(
                kind="article-journal",
                authors=["Stephan Rosiny"],
                title="Der Islamische Staat",
                outlet="Zeitschrift für Politik",
                issued="2015",
                volume="62",
                issue="2",
                page="150–168",
            )
        ],
    ),
    (
        "Denis M. Tull, „Mali und die Grenzen der Stabilisierung“, SWP-Aktuell, Nr. 12, März 2020.",
        None,
        [dict(kind="report", authors=["Denis M. Tull"], title="Mali und die Grenzen der Stabilisierung", outlet="SWP", issued="2020-03", issue="12")],
    ),
    # --- Berichte, Hochschulschriften, Sendungen, Beiträge in sozialen Medien
    (
        "Stiftung Wissenschaft und Politik, „Deutschlands Engagement im Sahel“, SWP-Studie, Berlin, Juni 2022.",
        None,
        [dict(kind="report", title="Deutschlands Engagement im Sahel", outlet="SWP", issued="2022-06")],
    ),
    (
        "Bundesamt für Verfassungsschutz, „Verfassungsschutzbericht 2023“, Juni 2024, S. 190.",
        None,
        [dict(kind="report", title="Verfassungsschutzbericht 2023", outlet="Bundesamt für Verfassungsschutz", issued="2024-06", page="190")],
    ),
    (
        "Anna Meier, „Dschihadismus im Sahel“ (Dissertation, Universität Hamburg, 2021), 45.",
        None,
        [dict(kind="thesis", authors=["Anna Meier"], title="Dschihadismus im Sahel", outlet="Universität Hamburg", issued="2021", page="45")],
    ),
    (
        "„Mali nach dem Abzug“, Tagesschau via YouTube, 12. Dezember 2023.",
        None,
        [dict(kind="motion_picture", title="Mali nach dem Abzug", outlet="ARD Tagesschau", platform="YouTube", issued="2023-12-12")],
    ),
    (
        "Wassim Nasr (@SimNasr), Beitrag auf X, 3. März 2024.",
        None,
        [dict(kind="post", authors=["Wassim Nasr"], handle="SimNasr", platform="X", issued="2024-03-03")],
    ),
    (
        "Interview des Autors mit einem malischen Beamten, Bamako, März 2023.",
        None,
        [dict(kind="interview", title="Interview des Autors mit einem malischen Beamten", issued="2023-03")],
    ),
    (
        "„Sahel“, Wikipedia, abgerufen am 3. Mai 2024, https://de.wikipedia.org/wiki/Sahel.",
        None,
        [dict(kind="entry-encyclopedia", title="Sahel", outlet="Wikipedia", accessed="2024-05-03", url="https://de.wikipedia.org/wiki/Sahel")],
    ),
    (
        "„Jahresbericht 2023“, Amnesty International, 24. April 2024, https://www.amnesty.de/jahresbericht/2023.",
        None,
        [
            dict(
                kind="webpage", title="Jahresbericht 2023", outlet="Amnesty International", issued="2024-04-24", url="https://www.amnesty.de/jahresbericht/2023"
            )
        ],
    ),
    # --- Verweise
    ("Ebd.", None, [dict(kind="document", position="ibid")]),
    ("Ebd., S. 12.", None, [dict(kind="document", position="ibid-with-locator", page="12")]),
    ("Ebenda, S. 4–7.", None, [dict(kind="document", position="ibid-with-locator", page="4–7")]),
    ("Vgl. ebd., S. 9.", None, [dict(kind="document", position="ibid-with-locator", page="9", lead_in="Vgl.")]),
    ("Steinberg, a. a. O., S. 50.", None, [dict(kind="document", authors=["Steinberg"], page="50", position="subsequent")]),
    # --- Anmerkungen des Verfassers, mehrere Werke
    ("Die Begriffe werden hier im Sinne der Akteure selbst verwendet.", None, []),
    ("Ich danke den anonymen Gutachtern für ihre Hinweise.", None, []),
    (
        "„Erster Bericht“, Die Zeit, 1. Mai 2020; „Zweiter Bericht“, Die Welt, 2. Mai 2020.",
        None,
        [
            dict(kind="article-newspaper", title="Erster Bericht", outlet="Die Zeit", issued="2020-05-01"),
            dict(kind="article-newspaper", title="Zweiter Bericht", outlet="Die Welt", issued="2020-05-02"),
        ],
    ),
    (
        "Vgl. Hans Müller u. a., „Ein Titel“, Der Spiegel, 3. Mai 2020; vgl. auch „Ein anderer Titel“, Die Zeit, 4. Mai 2020.",
        None,
        [
            dict(kind="article-newspaper", authors=["Hans Müller"], title="Ein Titel", outlet="Der Spiegel", issued="2020-05-03", lead_in="Vgl."),
            dict(kind="article-newspaper", title="Ein anderer Titel", outlet="Die Zeit", issued="2020-05-04", lead_in="vgl. auch"),
        ],
    ),
    (
        "Anm. d. Red.: „Terror in Mali“, Die Zeit, 18. September 2024.",
        "Anm. d. Red.",
        [dict(kind="article-newspaper", title="Terror in Mali", outlet="Die Zeit", issued="2024-09-18")],
    ),
    (
        "„Lage im Sahel“, Auswärtiges Amt, 1. Februar 2024, https://www.auswaertiges-amt.de/de/aussenpolitik/sahel.",
        None,
        [
            dict(
                kind="article",
                title="Lage im Sahel",
                outlet="Auswärtiges Amt",
                issued="2024-02-01",
                url="https://www.auswaertiges-amt.de/de/aussenpolitik/sahel",
            )
        ],
    ),
    # --- Filme, weitere Presse
    (
        "Timbuktu, Regie: Abderrahmane Sissako (Paris: Les Films du Worso, 2014).",
        None,
        [dict(kind="motion_picture", authors=["Abderrahmane Sissako"], title="Timbuktu", outlet="Les Films du Worso", issued="2014", publisher_place="Paris")],
    ),
    ("„Frankreich zieht ab“, ZDF, 15. August 2022.", None, [dict(kind="article-newspaper", title="Frankreich zieht ab", outlet="ZDF", issued="2022-08-15")]),
    (
        "Paul Munzinger, „Söldner in Mali“, Süddeutsche Zeitung, 21.06.2023, S. 7.",
        None,
        [dict(kind="article-newspaper", authors=["Paul Munzinger"], title="Söldner in Mali", outlet="Süddeutsche Zeitung", issued="2023-06-21", page="7")],
    ),
    (
        "„Der Sahel nach Barkhane“, Frankfurter Rundschau, 12. Januar 2023, https://www.fr.de/politik/sahel-nach-barkhane-92022222.html.",
        None,
        [
            dict(
                kind="article-newspaper",
                title="Der Sahel nach Barkhane",
                outlet="Frankfurter Rundschau",
                issued="2023-01-12",
                url="https://www.fr.de/politik/sahel-nach-barkhane-92022222.html",
            )
        ],
    ),
]

KNOWN_GAPS: dict[str, str] = {}
