"""English notes: Chicago notes-bibliography and author-date, as books, journals and newsrooms print them."""

from __future__ import annotations

from typing import Any

Case = tuple[str, str | None, list[dict[str, Any]]]

CASES: list[Case] = [
    # --- books: editions, translators, publishers with commas, italic titles as Markdown writes them
    (
        "Hannah Arendt, The Origins of Totalitarianism (New York: Harcourt, Brace & World, 1951), 12.",
        None,
        [
            dict(
                kind="book",
                authors=["Hannah Arendt"],
                title="The Origins of Totalitarianism",
                outlet="Harcourt, Brace & World",
                issued="1951",
                page="12",
                publisher_place="New York",
            )
        ],
    ),
    (
        "Steven Levitsky and Daniel Ziblatt, *How Democracies Die* (New York: Crown, 2018), 45.",
        None,
        [
            dict(
                kind="book",
                authors=["Steven Levitsky", "Daniel Ziblatt"],
                title="How Democracies Die",
                outlet="Crown",
                issued="2018",
                page="45",
                publisher_place="New York",
            )
        ],
    ),
    (
        "Jane Jacobs, _The Death and Life of Great American Cities_ (New York: Random House, 1961), 12.",
        None,
        [
            dict(
                kind="book",
                authors=["Jane Jacobs"],
                title="The Death and Life of Great American Cities",
                outlet="Random House",
                issued="1961",
                page="12",
                publisher_place="New York",
            )
        ],
    ),
    (
        "James C. Scott, Seeing Like a State (New Haven: Yale University Press, 1998), 4–6.",
        None,
        [
            dict(
                kind="book",
                authors=["James C. Scott"],
                title="Seeing Like a State",
                outlet="Yale University Press",
                issued="1998",
                page="4–6",
                publisher_place="New Haven",
            )
        ],
    ),
    (
        "Gilles Kepel, Jihad: The Trail of Political Islam, trans. Anthony F. Roberts (Cambridge, MA: Harvard University Press, 2002), 210.",
        None,
        [
            dict(
                kind="book",
                authors=["Gilles Kepel"],
                title="Jihad: The Trail of Political Islam",
                outlet="Harvard University Press",
                issued="2002",
                page="210",
                publisher_place="Cambridge, MA",
                translators=["Anthony F. Roberts"],
            )
        ],
    ),
    (
        "Olivier Roy, Globalized Islam (London: Hurst, 2004), 45–47.",
        None,
        [dict(kind="book", authors=["Olivier Roy"], title="Globalized Islam", outlet="Hurst", issued="2004", page="45–47", publisher_place="London")],
    ),
    (
        "Thomas Hegghammer, The Caravan: Abdallah Azzam and the Rise of Global Jihad (Cambridge: Cambridge University Press, 2020), 301.",
        None,
        [
            dict(
                kind="book",
                authors=["Thomas Hegghammer"],
                title="The Caravan: Abdallah Azzam and the Rise of Global Jihad",
                outlet="Cambridge University Press",
                issued="2020",
                page="301",
                publisher_place="Cambridge",
            )
        ],
    ),
    (
        "Alexander Thurston, Jihadists of North Africa and the Sahel (Cambridge: Cambridge University Press, 2020).",
        None,
        [
            dict(
                kind="book",
                authors=["Alexander Thurston"],
                title="Jihadists of North Africa and the Sahel",
                outlet="Cambridge University Press",
                issued="2020",
                publisher_place="Cambridge",
            )
        ],
    ),
    # --- chapters in edited books
    (
        "Jacob Zenn, “Boko Haram and the Kidnapping of the Chibok Schoolgirls,” in The Oxford Handbook of Terrorism, ed. Erica Chenoweth et al. (Oxford: Oxford University Press, 2019), 455–70.",
        None,
        [
            dict(
                kind="chapter",
                authors=["Jacob Zenn"],
                title="Boko Haram and the Kidnapping of the Chibok Schoolgirls",
                outlet="The Oxford Handbook of Terrorism",
                issued="2019",
                page="455–70",
                publisher_place="Oxford",
                publisher="Oxford University Press",
                editors=["Erica Chenoweth"],
            )
        ],
    ),
    (
        "Stathis N. Kalyvas, “The Logic of Violence,” in Civil Wars, ed. Jane Roe and John Doe (New York: Routledge, 2015), 33–50.",
        None,
        [
            dict(
                kind="chapter",
                authors=["Stathis N. Kalyvas"],
                title="The Logic of Violence",
                outlet="Civil Wars",
                issued="2015",
                page="33–50",
                publisher_place="New York",
                publisher="Routledge",
                editors=["Jane Roe", "John Doe"],
            )
        ],
    ),
    # --- journals
    (
        "Scott Straus, “‘Destroy Them to Save Us’: Theories of Genocide and the Logics of Political Violence,” Terrorism and Political Violence 24, no. 4 (2012): 544–60.",
        None,
        [
            dict(
                kind="article-journal",
                authors=["Scott Straus"],
                title="‘Destroy Them to Save Us’: Theories of Genocide and the Logics of Political Violence",
                outlet="Terrorism and Political Violence",
                issued="2012",
                volume="24",
                issue="4",
                page="544–60",
            )
        ],
    ),
    (
        "Morten Bøås, “Guns, Money and Prayers,” African Affairs 113, no. 451 (April 2014): 217–36, https://doi.org/10.1093/afraf/adu013.",
        None,
        [
            dict(
                kind="article-journal",
                authors=["Morten Bøås"],
                title="Guns, Money and Prayers",
                outlet="African Affairs",
                issued="2014-04",
                volume="113",
                issue="451",
                page="217–36",
                url="https://doi.org/10.1093/afraf/adu013",
                doi="10.1093/afraf/adu013",
            )
        ],
    ),
    (
        "Jessica Stanton, “Terrorism in the Context of Civil War,” Journal of Politics 75, no. 4 (2013): 1009‒22.",
        None,
        [
            dict(
                kind="article-journal",
                authors=["Jessica Stanton"],
                title="Terrorism in the Context of Civil War",
                outlet="Journal of Politics",
                issued="2013",
                volume="75",
                issue="4",
                page="1009–22",
            )
        ],
    ),
    (
        "Barbara F. Walter, “The Extremist’s Advantage in Civil Wars,” International Security 42, no. 2 (Fall 2017): 7–39.",
        None,
        [
            dict(
                kind="article-journal",
                authors=["Barbara F. Walter"],
                title="The Extremist’s Advantage in Civil Wars",
                outlet="International Security",
                issued="2017",
                volume="42",
                issue="2",
                page="7–39",
            )
        ],
    ),
    (
        "Mia Bloom, “Constructing Expertise,” Survival 59, no. 2 (2017): 115–32.",
        None,
        [
            dict(
                kind="article-journal",
                authors=["Mia Bloom"],
                title="Constructing Expertise",
                outlet="Survival",
                issued="2017",
                volume="59",
                issue="2",
                page="115–32",
            )
        ],
    ),
    # --- author-date (Chicago and APA reference lists written as notes)
    (
        "Scott, James C. 1998. *Seeing Like a State*. New Haven: Yale University Press.",
        None,
        [
            dict(
                kind="book", authors=["James C. Scott"], title="Seeing Like a State", outlet="Yale University Press", issued="1998", publisher_place="New Haven"
            )
        ],
    ),
    (
        "Kalyvas, Stathis N. 2006. The Logic of Violence in Civil War. Cambridge: Cambridge University Press.",
        None,
        [
            dict(
                kind="book",
                authors=["Stathis N. Kalyvas"],
                title="The Logic of Violence in Civil War",
                outlet="Cambridge University Press",
                issued="2006",
                publisher_place="Cambridge",
            )
        ],
    ),
    (
        "Fearon, James D., and David D. Laitin. 2003. “Ethnicity, Insurgency, and Civil War.” American Political Science Review 97 (1): 75–90.",
        None,
        [
            dict(
                kind="article-journal",
                authors=["James D. Fearon", "David D. Laitin"],
                title="Ethnicity, Insurgency, and Civil War",
                outlet="American Political Science Review",
                issued="2003",
                volume="97",
                issue="1",
                page="75–90",
            )
        ],
    ),
    (
        "Weinstein, J. M. (2007). Inside Rebellion: The Politics of Insurgent Violence. Cambridge University Press.",
        None,
        [
            dict(
                kind="book",
                authors=["J. M. Weinstein"],
                title="Inside Rebellion: The Politics of Insurgent Violence",
                outlet="Cambridge University Press",
                issued="2007",
            )
        ],
    ),
    # --- reports, testimony, government documents
    (
        "International Crisis Group, “Niger: Containing Armed Violence in Tillabery,” Africa Report No. 289, June 3, 2020.",
        None,
        [dict(kind="report", title="Niger: Containing Armed Violence in Tillabery", outlet="International Crisis Group", issued="2020-06-03")],
    ),
    (
        "“The Sahel: Europe’s African Border,” European Council on Foreign Relations, April 2018.",
        None,
        [dict(kind="report", title="The Sahel: Europe’s African Border", outlet="ECFR", issued="2018-04")],
    ),
    (
        "Rand Corporation, “How Terrorist Groups End,” 2008, https://www.rand.org/pubs/monographs/MG741-1.html.",
        None,
        [
            dict(
                kind="report",
                title="How Terrorist Groups End",
                outlet="RAND Corporation",
                issued="2008",
                url="https://www.rand.org/pubs/monographs/MG741-1.html",
            )
        ],
    ),
    (
        "Congressional Research Service, “Mali: Background and U.S. Relations,” R45452, updated May 2023.",
        None,
        [dict(kind="report", title="Mali: Background and U.S. Relations", outlet="Congressional Research Service", issued="2023-05")],
    ),
    (
        "Christopher Wray, “Threats to the Homeland,” testimony before the Senate Homeland Security and Governmental Affairs Committee, October 31, 2023.",
        None,
        [
            dict(
                kind="hearing",
                authors=["Christopher Wray"],
                title="Threats to the Homeland",
                outlet="Senate Homeland Security and Governmental Affairs Committee",
                issued="2023-10-31",
            )
        ],
    ),
    (
        "Human Rights Watch, “By Day We Fear the Army, By Night the Jihadists”: Abuses by Armed Islamists and Security Forces in Burkina Faso (New York: Human Rights Watch, 2018), 12.",
        None,
        [
            dict(
                kind="report",
                title="By Day We Fear the Army, By Night the Jihadists: Abuses by Armed Islamists and Security Forces in Burkina Faso",
                outlet="Human Rights Watch",
                issued="2018",
                page="12",
                publisher_place="New York",
            )
        ],
    ),
    (
        "UNHCR, “Global Trends: Forced Displacement in 2023,” June 13, 2024, p. 8.",
        None,
        [dict(kind="report", title="Global Trends: Forced Displacement in 2023", outlet="UNHCR", issued="2024-06-13", page="8")],
    ),
    (
        "Chatham House, “Conflict in the Lake Chad Basin,” research paper, March 2021.",
        None,
        [dict(kind="report", title="Conflict in the Lake Chad Basin", outlet="Chatham House", issued="2021-03")],
    ),
    # --- news and magazines
    (
        "Eric Schmitt and Declan Walsh, “U.S. Troops Leave Niger,” New York Times, August 5, 2024.",
        None,
        [
            dict(
                kind="article-newspaper",
                authors=["Eric Schmitt", "Declan Walsh"],
                title="U.S. Troops Leave Niger",
                outlet="The New York Times",
                issued="2024-08-05",
            )
        ],
    ),
    (
        "Danielle Paquette, “In Mali, Russians Replace the French,” Washington Post, February 12, 2022.",
        None,
        [
            dict(
                kind="article-newspaper",
                authors=["Danielle Paquette"],
                title="In Mali, Russians Replace the French",
                outlet="The Washington Post",
                issued="2022-02-12",
            )
        ],
    ),
    (
        "“The Sahel’s jihadists are winning,” The Economist, November 2, 2023.",
        None,
        [dict(kind="article-magazine", title="The Sahel’s jihadists are winning", outlet="The Economist", issued="2023-11-02")],
    ),
    (
        "Robin Wright, “The Age of Political Jihad,” The New Yorker, March 4, 2024, https://www.newyorker.com/news/our-columnists/the-age-of-political-jihad.",
        None,
        [
            dict(
                kind="article-magazine",
                authors=["Robin Wright"],
                title="The Age of Political Jihad",
                outlet="The New Yorker",
                issued="2024-03-04",
                url="https://www.newyorker.com/news/our-columnists/the-age-of-political-jihad",
            )
        ],
    ),
    (
        "Joe Parkinson and Drew Hinshaw, “Jihadists Surge in West Africa,” Wall Street Journal, Jan. 8, 2024.",
        None,
        [
            dict(
                kind="article-newspaper",
                authors=["Joe Parkinson", "Drew Hinshaw"],
                title="Jihadists Surge in West Africa",
                outlet="The Wall Street Journal",
                issued="2024-01-08",
            )
        ],
    ),
    (
        "“Mali’s Junta Expels UN Mission,” Al Jazeera, 16 June 2023.",
        None,
        [dict(kind="article-newspaper", title="Mali’s Junta Expels UN Mission", outlet="Al Jazeera", issued="2023-06-16")],
    ),
    # --- broadcasts, films, podcasts, videos, posts
    (
        "“The Sahel Crisis,” The World Tonight, BBC Radio 4, 12 March 2024.",
        None,
        [dict(kind="broadcast", title="The Sahel Crisis", outlet="BBC Radio 4", issued="2024-03-12")],
    ),
    (
        "Wassim Nasr (@SimNasr), post on X, March 3, 2024.",
        None,
        [dict(kind="post", authors=["Wassim Nasr"], handle="SimNasr", platform="X", issued="2024-03-03")],
    ),
    ("@UN_MINUSMA, post on X, June 30, 2023.", None, [dict(kind="post", handle="UN_MINUSMA", platform="X", issued="2023-06-30")]),
    (
        "Aaron Zelin, “New video message from al-Shabaab,” Jihadology, August 1, 2024, https://jihadology.net/2024/08/01/new-video-message/.",
        None,
        [
            dict(
                kind="article",
                authors=["Aaron Zelin"],
                title="New video message from al-Shabaab",
                outlet="Jihadology",
                issued="2024-08-01",
                url="https://jihadology.net/2024/08/01/new-video-message/",
            )
        ],
    ),
    # --- encyclopedia entries
    (
        "“Boko Haram,” Wikipedia, last modified May 2, 2024, https://en.wikipedia.org/wiki/Boko_Haram.",
        None,
        [dict(kind="entry-encyclopedia", title="Boko Haram", outlet="Wikipedia", issued="2024-05-02", url="https://en.wikipedia.org/wiki/Boko_Haram")],
    ),
    (
        "Leif Wenar, “Rights,” Stanford Encyclopedia of Philosophy, 2021.",
        None,
        [dict(kind="entry-encyclopedia", authors=["Leif Wenar"], title="Rights", outlet="Stanford Encyclopedia of Philosophy", issued="2021")],
    ),
    # --- theses and conference papers
    (
        "John Doe, “Rebel Governance in the Sahel” (master’s thesis, Georgetown University, 2019), 33.",
        None,
        [dict(kind="thesis", authors=["John Doe"], title="Rebel Governance in the Sahel", outlet="Georgetown University", issued="2019", page="33")],
    ),
    (
        "Anne Smith, “Jihadist Propaganda Online” (paper presented at the annual conference of the Society for Terrorism Research, London, June 2022).",
        None,
        [
            dict(
                kind="paper-conference",
                authors=["Anne Smith"],
                title="Jihadist Propaganda Online",
                outlet="annual conference of the Society for Terrorism Research",
                issued="2022-06",
                publisher_place="London",
            )
        ],
    ),
    # --- prose notes, prose around a citation, and notes of several works
    ("The term is used loosely here, as the author himself admits.", None, []),
    ("I am grateful to the anonymous reviewers for their comments on an earlier draft.", None, []),
    (
        "This is described in Jane Jacobs, The Death and Life of Great American Cities (New York: Random House, 1961), 12.",
        None,
        [
            dict(
                kind="book",
                authors=["Jane Jacobs"],
                title="The Death and Life of Great American Cities",
                outlet="Random House",
                issued="1961",
                page="12",
                publisher_place="New York",
                lead_in="This is described in",
            )
        ],
    ),
    (
        "“First dispatch,” Reuters, May 1, 2020, https://www.reuters.com/world/a; “Second dispatch,” BBC, May 2, 2020, https://www.bbc.com/news/b.",
        None,
        [
            dict(kind="article-newspaper", title="First dispatch", outlet="Reuters", issued="2020-05-01", url="https://www.reuters.com/world/a"),
            dict(kind="article-newspaper", title="Second dispatch", outlet="BBC", issued="2020-05-02", url="https://www.bbc.com/news/b"),
        ],
    ),
    (
        "“Mirror of the report,” Example News, May 2, 2024, http://[2001:db8::1]/report.",
        None,
        [dict(kind="article", title="Mirror of the report", outlet="Example News", issued="2024-05-02", url="http://[2001:db8::1]/report")],
    ),
    (
        "“Archive of the dataset,” Example News, May 2, 2024, ftp://ftp.example.org/pub/data.csv.",
        None,
        [dict(kind="article", title="Archive of the dataset", outlet="Example News", issued="2024-05-02", url="ftp://ftp.example.org/pub/data.csv")],
    ),
    # --- films and more broadcasts
    (
        "The Battle of Algiers, directed by Gillo Pontecorvo (Rome: Igor Film, 1966).",
        None,
        [dict(kind="motion_picture", authors=["Gillo Pontecorvo"], title="The Battle of Algiers", outlet="Igor Film", issued="1966", publisher_place="Rome")],
    ),
    (
        "“Inside the Sahel’s War,” Sky News, 4 June 2024.",
        None,
        [dict(kind="article-newspaper", title="Inside the Sahel’s War", outlet="Sky News", issued="2024-06-04")],
    ),
    (
        "Jane Roe, “Who Funds the Jihadists?,” NPR, March 9, 2023, https://www.npr.org/2023/03/09/1162000000/who-funds-the-jihadists.",
        None,
        [
            dict(
                kind="article-newspaper",
                authors=["Jane Roe"],
                title="Who Funds the Jihadists?",
                outlet="NPR",
                issued="2023-03-09",
                url="https://www.npr.org/2023/03/09/1162000000/who-funds-the-jihadists",
            )
        ],
    ),
]

KNOWN_GAPS: dict[str, str] = {}
