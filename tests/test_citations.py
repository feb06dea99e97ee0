"""Real-shaped notes and every field each must parse to.

Each case is (note text, expected sources). Fields left out of an expected
source must be empty (None, [] or False): every field is asserted, so a
parser that invents an outlet or a date fails as surely as one that misses it.
"""

from __future__ import annotations

from typing import Any

import pytest

from citecheck.model import Place, RawNote
from citecheck.outlets import OutletRegistry
from citecheck.parse.notes import parse_note

from .cases import de, en, es, fr

FIELDS = (
    "kind",
    "authors",
    "title",
    "title_truncated",
    "outlet",
    "platform",
    "handle",
    "issued",
    "accessed",
    "url",
    "doi",
    "language",
    "page",
    "volume",
    "issue",
    "publisher_place",
    "publisher",
    "editors",
    "translators",
    "lead_in",
    "position",
)
EMPTY: dict[str, Any] = {
    "authors": [],
    "title": None,
    "title_truncated": False,
    "outlet": None,
    "platform": None,
    "handle": None,
    "issued": None,
    "accessed": None,
    "url": None,
    "doi": None,
    "language": None,
    "page": None,
    "volume": None,
    "issue": None,
    "publisher_place": None,
    "publisher": None,
    "editors": [],
    "translators": [],
    "lead_in": None,
    "position": "first",
}

# (note text, framing, [expected source fields...])
CASES: list[tuple[str, str | None, list[dict[str, Any]]]] = [
    # --- news, Chicago style -------------------------------------------------------------------
    (
        "Jane Doe, “Mali junta expels French ambassador,” Reuters, January 31, 2022.",
        None,
        [dict(kind="article-newspaper", authors=["Jane Doe"], title="Mali junta expels French ambassador", outlet="Reuters", issued="2022-01-31")],
    ),
    (
        "“Niger coup: What we know,” BBC News, July 27, 2023, https://www.bbc.com/news/world-africa-66320404.",
        None,
        [
            dict(
                kind="article-newspaper",
                title="Niger coup: What we know",
                outlet="BBC",
                issued="2023-07-27",
                url="https://www.bbc.com/news/world-africa-66320404",
            )
        ],
    ),
    (
        "Declan Walsh, “In Sudan, a War Forgotten,” New York Times, April 15, 2024.",
        None,
        [dict(kind="article-newspaper", authors=["Declan Walsh"], title="In Sudan, a War Forgotten", outlet="The New York Times", issued="2024-04-15")],
    ),
    (
        "Ruth Maclean and Elian Peltier, “Mali’s Junta Tightens Grip,” The New York Times, May 2, 2023.",
        None,
        [
            dict(
                kind="article-newspaper",
                authors=["Ruth Maclean", "Elian Peltier"],
                title="Mali’s Junta Tightens Grip",
                outlet="The New York Times",
                issued="2023-05-02",
            )
        ],
    ),
    (
        "“Attaque terroriste au Burkina Faso : au moins 100 morts,” Le Monde, 12 juin 2024.",
        None,
        [dict(kind="article-newspaper", title="Attaque terroriste au Burkina Faso : au moins 100 morts", outlet="Le Monde", issued="2024-06-12")],
    ),
    (
        "“Ataque yihadista en Malí deja 40 muertos,” El País, 18 de febrero de 2022.",
        None,
        [dict(kind="article-newspaper", title="Ataque yihadista en Malí deja 40 muertos", outlet="El País", issued="2022-02-18")],
    ),
    (
        "Sam Mednick, “Burkina Faso’s army accused of killing civilians,” Associated Press, Oct. 5, 2023.",
        None,
        [
            dict(
                kind="article-newspaper",
                authors=["Sam Mednick"],
                title="Burkina Faso’s army accused of killing civilians",
                outlet="Associated Press",
                issued="2023-10-05",
            )
        ],
    ),
    (
        "Benjamin Roger, “Mali : comment le JNIM s’est imposé,” Jeune Afrique, 3 mars 2023.",
        None,
        [dict(kind="article-newspaper", authors=["Benjamin Roger"], title="Mali : comment le JNIM s’est imposé", outlet="Jeune Afrique", issued="2023-03-03")],
    ),
    (
        "“Sahel: la France achève son retrait du Niger,” France 24, 22 décembre 2023 (French version).",
        None,
        [dict(kind="article-newspaper", title="Sahel: la France achève son retrait du Niger", outlet="France24", issued="2023-12-22", language="fr")],
    ),
    (
        "Wassim Nasr, “Islamic State claims attack in Niger,” France24, March 21, 2023 (English version), https://www.france24.com/en/africa/20230321-islamic-state-claims.",
        None,
        [
            dict(
                kind="article-newspaper",
                authors=["Wassim Nasr"],
                title="Islamic State claims attack in Niger",
                outlet="France24",
                issued="2023-03-21",
                language="en",
                url="https://www.france24.com/en/africa/20230321-islamic-state-claims",
            )
        ],
    ),
    (
        "Jason Burke, “Wagner group’s role in Mali,” Guardian, 10 January 2022, accessed March 3, 2024, https://www.theguardian.com/world/2022/jan/10/wagner-mali.",
        None,
        [
            dict(
                kind="article-newspaper",
                authors=["Jason Burke"],
                title="Wagner group’s role in Mali",
                outlet="The Guardian",
                issued="2022-01-10",
                accessed="2024-03-03",
                url="https://www.theguardian.com/world/2022/jan/10/wagner-mali",
            )
        ],
    ),
    (
        "Mark Mazzetti et al., “Inside the Drone War,” New York Times, Sept. 3, 2021.",
        None,
        [dict(kind="article-newspaper", authors=["Mark Mazzetti"], title="Inside the Drone War", outlet="The New York Times", issued="2021-09-03")],
    ),
    (
        "“Al-Shabaab attack kills 10,” Al Jazeera, 2 August 2024, https://www.aljazeera.com/news/2024/8/2/al-shabaab (accessed 5 August 2024).",
        None,
        [
            dict(
                kind="article-newspaper",
                title="Al-Shabaab attack kills 10",
                outlet="Al Jazeera",
                issued="2024-08-02",
                accessed="2024-08-05",
                url="https://www.aljazeera.com/news/2024/8/2/al-shabaab",
            )
        ],
    ),
    (
        "See also Tim Lister, “ISIS is back,” CNN, March 25, 2024.",
        None,
        [dict(kind="article-newspaper", authors=["Tim Lister"], title="ISIS is back", outlet="CNN", issued="2024-03-25", lead_in="See also")],
    ),
    (
        "Cf. Michael Shurkin, “France’s War in the Sahel,” War on the Rocks, June 1, 2021.",
        None,
        [
            dict(
                kind="article-magazine",
                authors=["Michael Shurkin"],
                title="France’s War in the Sahel",
                outlet="War on the Rocks",
                issued="2021-06-01",
                lead_in="Cf.",
            )
        ],
    ),
    (
        "For background, see Héni Nsaibia, “The Conflict Between Al-Qaeda and the Islamic State in the Sahel,” ACLED, January 27, 2024.",
        None,
        [
            dict(
                kind="report",
                authors=["Héni Nsaibia"],
                title="The Conflict Between Al-Qaeda and the Islamic State in the Sahel",
                outlet="ACLED",
                issued="2024-01-27",
                lead_in="For background, see",
            )
        ],
    ),
    (
        "Voir « Le Mali, nouveau front », Le Monde, 5 mai 2021.",
        None,
        [dict(kind="article-newspaper", title="Le Mali, nouveau front", outlet="Le Monde", issued="2021-05-05", lead_in="Voir")],
    ),
    (
        "« Au Mali, le JNIM revendique l’attaque de Bamako », Le Monde, 18 septembre 2024.",
        None,
        [dict(kind="article-newspaper", title="Au Mali, le JNIM revendique l’attaque de Bamako", outlet="Le Monde", issued="2024-09-18")],
    ),
    (
        "Mathieu Olivier, « Comment Iyad Ag Ghaly a pris la main », Jeune Afrique, 15 sept. 2023.",
        None,
        [
            dict(
                kind="article-newspaper", authors=["Mathieu Olivier"], title="Comment Iyad Ag Ghaly a pris la main", outlet="Jeune Afrique", issued="2023-09-15"
            )
        ],
    ),
    (
        "„Anschlag in Mali“, Der Spiegel, 17. September 2024.",
        None,
        [dict(kind="article-newspaper", title="Anschlag in Mali", outlet="Der Spiegel", issued="2024-09-17")],
    ),
    (
        "“Ataque en Burkina Faso,” El País, 25 de agosto de 2024, https://elpais.com/internacional/2024-08-25/ataque.html.",
        None,
        [
            dict(
                kind="article-newspaper",
                title="Ataque en Burkina Faso",
                outlet="El País",
                issued="2024-08-25",
                url="https://elpais.com/internacional/2024-08-25/ataque.html",
            )
        ],
    ),
    ("“Атака в Бамако,” РИА Новости, 17 сентября 2024.", None, [dict(kind="article", title="Атака в Бамако", outlet="РИА Новости", issued="2024-09-17")]),
    (
        "Wassim Nasr, “Le JNIM et l’État islamique au Sahel” (en français), France24, 5 mai 2022.",
        None,
        [
            dict(
                kind="article-newspaper",
                authors=["Wassim Nasr"],
                title="Le JNIM et l’État islamique au Sahel",
                outlet="France24",
                issued="2022-05-05",
                language="fr",
            )
        ],
    ),
    (
        "“Koufa speaks,” France24, October 22, 2024 [in English].",
        None,
        [dict(kind="article-newspaper", title="Koufa speaks", outlet="France24", issued="2024-10-22", language="en")],
    ),
    (
        "Amy Zegart, “The Hunt,” Lawfare, 2024-03-12, https://www.lawfaremedia.org/article/the-hunt.",
        None,
        [
            dict(
                kind="article-magazine",
                authors=["Amy Zegart"],
                title="The Hunt",
                outlet="Lawfare",
                issued="2024-03-12",
                url="https://www.lawfaremedia.org/article/the-hunt",
            )
        ],
    ),
    (
        "Robert Postings, “Islamic State recognizes new Sahel province,” The Defense Post, March 22, 2022, https://www.thedefensepost.com/2022/03/22/islamic-state-sahel-province/.",
        None,
        [
            dict(
                kind="article",
                authors=["Robert Postings"],
                title="Islamic State recognizes new Sahel province",
                outlet="The Defense Post",
                issued="2022-03-22",
                url="https://www.thedefensepost.com/2022/03/22/islamic-state-sahel-province/",
            )
        ],
    ),
    (
        "Wassim Nasr, “Title of the piece,” France24, October 22, 2024, https://web.archive.org/web/20241023000000/https://www.france24.com/en/x.",
        None,
        [
            dict(
                kind="article-newspaper",
                authors=["Wassim Nasr"],
                title="Title of the piece",
                outlet="France24",
                issued="2024-10-22",
                url="https://www.france24.com/en/x",
            )
        ],
    ),
    (
        "Caleb Weiss, “Al-Qaeda’s Sahel branch claims Bamako attack,” FDD's Long War Journal, September 18, 2024.",
        None,
        [
            dict(
                kind="article-newspaper",
                authors=["Caleb Weiss"],
                title="Al-Qaeda’s Sahel branch claims Bamako attack",
                outlet="Long War Journal",
                issued="2024-09-18",
            )
        ],
    ),
    (
        "Raphael Parens, “The Wagner Group’s Playbook in Africa,” Foreign Policy Research Institute, March 18, 2022.",
        None,
        [
            dict(
                kind="article",
                authors=["Raphael Parens"],
                title="The Wagner Group’s Playbook in Africa",
                outlet="Foreign Policy Research Institute",
                issued="2022-03-18",
            )
        ],
    ),
    (
        "By Sam Mednick, “Jihadis in Burkina Faso,” AP News, 9 July 2024.",
        None,
        [dict(kind="article-newspaper", authors=["Sam Mednick"], title="Jihadis in Burkina Faso", outlet="Associated Press", issued="2024-07-09")],
    ),
    (
        "David Pilling, “Africa’s coup belt,” Financial Times, August 2023.",
        None,
        [dict(kind="article-newspaper", authors=["David Pilling"], title="Africa’s coup belt", outlet="Financial Times", issued="2023-08")],
    ),
    (
        'Henry Wilkins, "Burkina junta recruits civilians," VOA, March 1, 2023.',
        None,
        [dict(kind="article-newspaper", authors=["Henry Wilkins"], title="Burkina junta recruits civilians", outlet="Voice of America", issued="2023-03-01")],
    ),
    # --- NGOs, international organizations, reports ----------------------------------------------
    (
        "“Burkina Faso: Massacre Shows Need to Protect Civilians,” Human Rights Watch, October 29, 2024.",
        None,
        [dict(kind="webpage", title="Burkina Faso: Massacre Shows Need to Protect Civilians", outlet="Human Rights Watch", issued="2024-10-29")],
    ),
    (
        "Human Rights Watch, “Burkina Faso: Atrocities by Islamist Armed Groups,” January 2024.",
        None,
        [dict(kind="webpage", title="Burkina Faso: Atrocities by Islamist Armed Groups", outlet="Human Rights Watch", issued="2024-01")],
    ),
    (
        "Amnesty International, “Mali: Civilians killed,” May 2022, https://www.amnesty.org/en/latest/news/2022/05/mali/.",
        None,
        [
            dict(
                kind="webpage",
                title="Mali: Civilians killed",
                outlet="Amnesty International",
                issued="2022-05",
                url="https://www.amnesty.org/en/latest/news/2022/05/mali/",
            )
        ],
    ),
    (
        "“Final report of the Panel of Experts on Mali,” United Nations Security Council, S/2023/578, August 3, 2023.",
        None,
        [dict(kind="report", title="Final report of the Panel of Experts on Mali", outlet="United Nations", issued="2023-08-03")],
    ),
    (
        "International Crisis Group, “Mali: Enabling Dialogue with the Jihadist Coalition JNIM,” Africa Report No. 306, December 10, 2021.",
        None,
        [dict(kind="report", title="Mali: Enabling Dialogue with the Jihadist Coalition JNIM", outlet="International Crisis Group", issued="2021-12-10")],
    ),
    (
        "“Thirty-fourth report of the Analytical Support and Sanctions Monitoring Team submitted pursuant to resolution 2734 (2024) concerning ISIL (Da’esh), Al-Qaida and associated individuals and entities,” United Nations, July 22, 2024, p. 6.",
        None,
        [
            dict(
                kind="report",
                title="Thirty-fourth report of the Analytical Support and Sanctions Monitoring Team submitted pursuant to resolution 2734 (2024) concerning ISIL (Da’esh), Al-Qaida and associated individuals and entities",
                outlet="United Nations",
                issued="2024-07-22",
                page="6",
            )
        ],
    ),
    (
        "U.S. Department of State, Country Reports on Terrorism 2022, November 30, 2023, https://www.state.gov/reports/country-reports-on-terrorism-2022/.",
        None,
        [
            dict(
                kind="document",
                title="Country Reports on Terrorism 2022",
                outlet="U.S. Department of State",
                issued="2023-11-30",
                url="https://www.state.gov/reports/country-reports-on-terrorism-2022/",
            )
        ],
    ),
    (
        "UN Security Council, “Letter dated 22 July 2024 from the Chair of the Security Council Committee,” S/2024/556, July 22, 2024, https://documents.un.org/doc/undoc/gen/n24/200/56/pdf/n2420056.pdf.",
        None,
        [
            dict(
                kind="report",
                title="Letter dated 22 July 2024 from the Chair of the Security Council Committee",
                outlet="United Nations",
                issued="2024-07-22",
                url="https://documents.un.org/doc/undoc/gen/n24/200/56/pdf/n2420056.pdf",
            )
        ],
    ),
    (
        "ACLED, “Sahel Mid-Year Update,” July 2024, https://acleddata.com/2024/07/sahel-update/.",
        None,
        [dict(kind="report", title="Sahel Mid-Year Update", outlet="ACLED", issued="2024-07", url="https://acleddata.com/2024/07/sahel-update/")],
    ),
    (
        "“Annual report on terrorism,” Global Center on Cooperative Security, 2023.",
        None,
        [dict(kind="report", title="Annual report on terrorism", outlet="Global Center on Cooperative Security", issued="2023")],
    ),
    (
        "The Soufan Center, “IntelBrief: JNIM Expands,” September 20, 2024.",
        None,
        [dict(kind="report", title="IntelBrief: JNIM Expands", outlet="The Soufan Center", issued="2024-09-20")],
    ),
    # --- journals --------------------------------------------------------------------------------
    (
        "For more on these dynamics, see Wassim Nasr, “How the Wagner Group Is Aggravating the Jihadi Threat in the Sahel,” CTC Sentinel 15:11 (2022).",
        None,
        [
            dict(
                kind="article-journal",
                authors=["Wassim Nasr"],
                title="How the Wagner Group Is Aggravating the Jihadi Threat in the Sahel",
                outlet="CTC Sentinel",
                issued="2022",
                volume="15",
                issue="11",
                lead_in="For more on these dynamics, see",
            )
        ],
    ),
    (
        "Christopher Anzalone, “Continuity and Change,” CTC Sentinel 8:5 (2015): 12–18.",
        None,
        [
            dict(
                kind="article-journal",
                authors=["Christopher Anzalone"],
                title="Continuity and Change",
                outlet="CTC Sentinel",
                issued="2015",
                volume="8",
                issue="5",
                page="12–18",
            )
        ],
    ),
    (
        "Jason Warner and Charlotte Hulme, “The Islamic State in Africa,” CTC Sentinel 11, no. 7 (August 2018): 21–28.",
        None,
        [
            dict(
                kind="article-journal",
                authors=["Jason Warner", "Charlotte Hulme"],
                title="The Islamic State in Africa",
                outlet="CTC Sentinel",
                issued="2018-08",
                volume="11",
                issue="7",
                page="21–28",
            )
        ],
    ),
    (
        "Daniel Byman, “Understanding the Islamic State,” International Security 40, no. 4 (2016): 127–165.",
        None,
        [
            dict(
                kind="article-journal",
                authors=["Daniel Byman"],
                title="Understanding the Islamic State",
                outlet="International Security",
                issued="2016",
                volume="40",
                issue="4",
                page="127–165",
            )
        ],
    ),
    (
        "Alexander Thurston, “Jihadists of North Africa and the Sahel,” Studies in Conflict & Terrorism 43, no. 2 (2020): 120–138, https://doi.org/10.1080/1057610X.2018.1234567.",
        None,
        [
            dict(
                kind="article-journal",
                authors=["Alexander Thurston"],
                title="Jihadists of North Africa and the Sahel",
                outlet="Studies in Conflict & Terrorism",
                issued="2020",
                volume="43",
                issue="2",
                page="120–138",
                url="https://doi.org/10.1080/1057610X.2018.1234567",
                doi="10.1080/1057610X.2018.1234567",
            )
        ],
    ),
    (
        "Paul Cruickshank and Julika Enslin, “Journey to Damascus: An Interview with Wassim Nasr, Journalist, France24,” CTC Sentinel 18:1 (2025).",
        None,
        [
            dict(
                kind="article-journal",
                authors=["Paul Cruickshank", "Julika Enslin"],
                title="Journey to Damascus: An Interview with Wassim Nasr, Journalist, France24",
                outlet="CTC Sentinel",
                issued="2025",
                volume="18",
                issue="1",
            )
        ],
    ),
    (
        "Héni Nsaibia and Caleb Weiss, “The End of the Sahelian Anomaly,” CTC Sentinel 13:7 (2020).",
        None,
        [
            dict(
                kind="article-journal",
                authors=["Héni Nsaibia", "Caleb Weiss"],
                title="The End of the Sahelian Anomaly",
                outlet="CTC Sentinel",
                issued="2020",
                volume="13",
                issue="7",
            )
        ],
    ),
    (
        "Jacob Zenn, “Boko Haram’s Conquest,” Terrorism Monitor 13, no. 4 (February 2015).",
        None,
        [
            dict(
                kind="article-journal",
                authors=["Jacob Zenn"],
                title="Boko Haram’s Conquest",
                outlet="Terrorism Monitor",
                issued="2015-02",
                volume="13",
                issue="4",
            )
        ],
    ),
    (
        "Raffaello Pantucci, “The Jihadi Threat in Central Asia,” Perspectives on Terrorism 10, no. 3 (2016), http://www.terrorismanalysts.com/pt/index.php/pot/article/view/512.",
        None,
        [
            dict(
                kind="article-journal",
                authors=["Raffaello Pantucci"],
                title="The Jihadi Threat in Central Asia",
                outlet="Perspectives on Terrorism",
                issued="2016",
                volume="10",
                issue="3",
                url="http://www.terrorismanalysts.com/pt/index.php/pot/article/view/512",
            )
        ],
    ),
    (
        "Adam Rousselle, “Insurgency in the Sahel,” Small Wars Journal, vol. 12 (2019).",
        None,
        [dict(kind="article-journal", authors=["Adam Rousselle"], title="Insurgency in the Sahel", outlet="Small Wars Journal", issued="2019", volume="12")],
    ),
    (
        "Nasr, W. (2022). How the Wagner Group Is Aggravating the Jihadi Threat in the Sahel. CTC Sentinel, 15(11), 1–8.",
        None,
        [
            dict(
                kind="article-journal",
                authors=["W. Nasr"],
                title="How the Wagner Group Is Aggravating the Jihadi Threat in the Sahel",
                outlet="CTC Sentinel",
                issued="2022",
                volume="15",
                issue="11",
                page="1–8",
            )
        ],
    ),
    (
        "Warner, J., & Hulme, C. (2018). The Islamic State in Africa. CTC Sentinel, 11(7), 21–28. https://ctc.westpoint.edu/islamic-state-africa/",
        None,
        [
            dict(
                kind="article-journal",
                authors=["J. Warner", "C. Hulme"],
                title="The Islamic State in Africa",
                outlet="CTC Sentinel",
                issued="2018",
                volume="11",
                issue="7",
                page="21–28",
                url="https://ctc.westpoint.edu/islamic-state-africa/",
            )
        ],
    ),
    (
        "Human Rights Watch. (2024, October 29). Burkina Faso: Massacre Shows Need to Protect Civilians. https://www.hrw.org/news/2024/10/29/burkina-faso-massacre",
        None,
        [
            dict(
                kind="webpage",
                title="Burkina Faso: Massacre Shows Need to Protect Civilians",
                outlet="Human Rights Watch",
                issued="2024-10-29",
                url="https://www.hrw.org/news/2024/10/29/burkina-faso-massacre",
            )
        ],
    ),
    # --- books and interviews -------------------------------------------------------------------
    (
        "Wassim Nasr, État islamique, le fait accompli (Paris: Plon, 2016).",
        None,
        [dict(kind="book", authors=["Wassim Nasr"], title="État islamique, le fait accompli", outlet="Plon", issued="2016", publisher_place="Paris")],
    ),
    (
        "Bruce Hoffman, Inside Terrorism (New York: Columbia University Press, 2017), p. 45.",
        None,
        [
            dict(
                kind="book",
                authors=["Bruce Hoffman"],
                title="Inside Terrorism",
                outlet="Columbia University Press",
                issued="2017",
                page="45",
                publisher_place="New York",
            )
        ],
    ),
    (
        "Aaron Y. Zelin, Your Sons Are at Your Service (New York: Columbia University Press, 2020).",
        None,
        [
            dict(
                kind="book",
                authors=["Aaron Y. Zelin"],
                title="Your Sons Are at Your Service",
                outlet="Columbia University Press",
                issued="2020",
                publisher_place="New York",
            )
        ],
    ),
    (
        "Thomas Hegghammer, ed., Jihadi Culture (Cambridge: Cambridge University Press, 2017).",
        None,
        [
            dict(
                kind="book",
                authors=["Thomas Hegghammer"],
                title="Jihadi Culture",
                outlet="Cambridge University Press",
                issued="2017",
                publisher_place="Cambridge",
            )
        ],
    ),
    (
        "Interview by the author with a Malian official, Bamako, March 2023.",
        None,
        [dict(kind="interview", title="Interview by the author with a Malian official", issued="2023-03")],
    ),
    ("Author interview, Niamey, 12 May 2022.", None, [dict(kind="interview", title="Author interview", issued="2022-05-12")]),
    # --- posts and videos ----------------------------------------------------------------------
    (
        "Wassim Nasr, “#Mali #JNIM #AQMI annonce un com d’Abou Houzeifa al-Bamabari en Bambara /resume l’audio de Kouffa en …,” X, September 20, 2024.",
        None,
        [
            dict(
                kind="post",
                authors=["Wassim Nasr"],
                title="#Mali #JNIM #AQMI annonce un com d’Abou Houzeifa al-Bamabari en Bambara /resume l’audio de Kouffa en …",
                title_truncated=True,
                platform="X",
                issued="2024-09-20",
            )
        ],
    ),
    (
        "Wassim Nasr (@SimNasr), “Ceci est le 1er communiqué …,” X, January 20, 2025, https://x.com/SimNasr/status/1881345678901234567.",
        None,
        [
            dict(
                kind="post",
                authors=["Wassim Nasr"],
                handle="SimNasr",
                title="Ceci est le 1er communiqué …",
                title_truncated=True,
                platform="X",
                issued="2025-01-20",
                url="https://x.com/SimNasr/status/1881345678901234567",
            )
        ],
    ),
    (
        "Charles Lister, “Thread on HTS,” Twitter, December 9, 2024, https://twitter.com/Charles_Lister/status/1866000000000000000.",
        None,
        [
            dict(
                kind="post",
                authors=["Charles Lister"],
                title="Thread on HTS",
                platform="X",
                issued="2024-12-09",
                url="https://twitter.com/Charles_Lister/status/1866000000000000000",
            )
        ],
    ),
    (
        "Mina Al-Lami (@Minalami), “IS claims Mozambique attack...,” X, 3 August 2024.",
        None,
        [
            dict(
                kind="post",
                authors=["Mina Al-Lami"],
                handle="Minalami",
                title="IS claims Mozambique attack...",
                title_truncated=True,
                platform="X",
                issued="2024-08-03",
            )
        ],
    ),
    (
        "“Koufa interview,” France24 via YouTube, October 22, 2024.",
        None,
        [dict(kind="motion_picture", title="Koufa interview", outlet="France24", platform="YouTube", issued="2024-10-22")],
    ),
    (
        "France 24, “Sahel : Al Qaïda, ONG, communautés peules… le point sur la situation,” YouTube, October 22, 2024, https://www.youtube.com/watch?v=dQw4w9WgXcQ.",
        None,
        [
            dict(
                kind="motion_picture",
                title="Sahel : Al Qaïda, ONG, communautés peules… le point sur la situation",
                outlet="France24",
                platform="YouTube",
                issued="2024-10-22",
                url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            )
        ],
    ),
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", None, [dict(kind="motion_picture", url="https://www.youtube.com/watch?v=dQw4w9WgXcQ")]),
    ("https://x.com/SimNasr/status/1881345678901234567", None, [dict(kind="post", url="https://x.com/SimNasr/status/1881345678901234567")]),
    (
        "“JNIM statement on Barsalogho,” Telegram, August 26, 2024.",
        None,
        [dict(kind="post", title="JNIM statement on Barsalogho", platform="Telegram", issued="2024-08-26")],
    ),
    # --- bare links and lead-ins ----------------------------------------------------------------
    (
        "The full response can be viewed here: https://www.hrw.org/sites/default/files/media_2024/10/JNIM%20response%20to%20HRW.pdf",
        None,
        [
            dict(
                kind="document",
                url="https://www.hrw.org/sites/default/files/media_2024/10/JNIM%20response%20to%20HRW.pdf",
                lead_in="The full response can be viewed here:",
            )
        ],
    ),
    (
        "Available at: https://www.un.org/securitycouncil/sites/www.un.org.securitycouncil/files/n2419786.pdf.",
        None,
        [dict(kind="document", url="https://www.un.org/securitycouncil/sites/www.un.org.securitycouncil/files/n2419786.pdf", lead_in="Available at:")],
    ),
    (
        "See https://www.crisisgroup.org/africa/sahel/mali/306-mali-enabling-dialogue.",
        None,
        [dict(kind="webpage", url="https://www.crisisgroup.org/africa/sahel/mali/306-mali-enabling-dialogue", lead_in="See")],
    ),
    ("See <https://www.rfi.fr/fr/afrique/20220218-mali>.", None, [dict(kind="webpage", url="https://www.rfi.fr/fr/afrique/20220218-mali", lead_in="See")]),
    ("www.example.org/report.html", None, [dict(kind="webpage", url="https://www.example.org/report.html")]),
    # --- framings -----------------------------------------------------------------------------
    (
        "Editor’s Note: See “Mali: au moins 40 civils tués dans la zone des trois frontières,” RFI, February 18, 2022.",
        "Editor’s Note",
        [
            dict(
                kind="article-newspaper",
                title="Mali: au moins 40 civils tués dans la zone des trois frontières",
                outlet="RFI",
                issued="2022-02-18",
                lead_in="See",
            )
        ],
    ),
    (
        "Editor's note: “Burkina Faso gun attack kills 18 people at café,” BBC, August 14, 2017.",
        "Editor's note",
        [dict(kind="article-newspaper", title="Burkina Faso gun attack kills 18 people at café", outlet="BBC", issued="2017-08-14")],
    ),
    (
        "Translator’s note: “Mali Radisson Blu attack: Two Islamists sentenced to death,” BBC, October 28, 2020.",
        "Translator’s note",
        [dict(kind="article-newspaper", title="Mali Radisson Blu attack: Two Islamists sentenced to death", outlet="BBC", issued="2020-10-28")],
    ),
    (
        "N.d.l.R. : « Le Mali, nouveau front », Le Monde, 5 mai 2021.",
        "N.d.l.R.",
        [dict(kind="article-newspaper", title="Le Mali, nouveau front", outlet="Le Monde", issued="2021-05-05")],
    ),
    # --- several sources in one note ----------------------------------------------------------------
    (
        "Editor’s Note: “Sahel : Al Qaïda, ONG, communautés peules… le point sur la situation,” France24 via YouTube, October 22, 2024 (French version); Wassim Nasr, “Sahel: Al Qaeda, NGOs, Fulani communities… The latest on the situation,” France24, October 22, 2024 (English version).",
        "Editor’s Note",
        [
            dict(
                kind="motion_picture",
                title="Sahel : Al Qaïda, ONG, communautés peules… le point sur la situation",
                outlet="France24",
                platform="YouTube",
                issued="2024-10-22",
                language="fr",
            ),
            dict(
                kind="article-newspaper",
                authors=["Wassim Nasr"],
                title="Sahel: Al Qaeda, NGOs, Fulani communities… The latest on the situation",
                outlet="France24",
                issued="2024-10-22",
                language="en",
            ),
        ],
    ),
    (
        "“A Dispatch from Gao,” BBC, May 1, 2020; “Une dépêche de Gao,” RFI, June 2, 2021.",
        None,
        [
            dict(kind="article-newspaper", title="A Dispatch from Gao", outlet="BBC", issued="2020-05-01"),
            dict(kind="article-newspaper", title="Une dépêche de Gao", outlet="RFI", issued="2021-06-02"),
        ],
    ),
    (
        "See John Smith, “Mali; Niger and Burkina Faso,” Reuters, May 1, 2020; see also Anne Jones, “Sahel’s New Front,” AFP, June 2, 2021.",
        None,
        [
            dict(kind="article-newspaper", authors=["John Smith"], title="Mali; Niger and Burkina Faso", outlet="Reuters", issued="2020-05-01", lead_in="See"),
            dict(
                kind="article-newspaper",
                authors=["Anne Jones"],
                title="Sahel’s New Front",
                outlet="Agence France-Presse",
                issued="2021-06-02",
                lead_in="see also",
            ),
        ],
    ),
    (
        "Ibid.; “Other reporting,” BBC, May 1, 2020.",
        None,
        [dict(kind="document", position="ibid"), dict(kind="article-newspaper", title="Other reporting", outlet="BBC", issued="2020-05-01")],
    ),
    (
        "“Report on Gao,” Human Rights Watch, 2020, p. 5; “Gao revisited,” Human Rights Watch, 2021, pp. 4–7.",
        None,
        [
            dict(kind="report", title="Report on Gao", outlet="Human Rights Watch", issued="2020", page="5"),
            dict(kind="webpage", title="Gao revisited", outlet="Human Rights Watch", issued="2021", page="4–7"),
        ],
    ),
    # --- back-references (resolved across notes elsewhere; here their own fields) --------------------
    ("Ibid.", None, [dict(kind="document", position="ibid")]),
    ("Editor’s Note: Ibid.", "Editor’s Note", [dict(kind="document", position="ibid")]),
    ("Ibid., p. 12.", None, [dict(kind="document", position="ibid-with-locator", page="12")]),
    ("Ibid., pp. 4–7.", None, [dict(kind="document", position="ibid-with-locator", page="4–7")]),
    ("Ibid., 23.", None, [dict(kind="document", position="ibid-with-locator", page="23")]),
    ("Ibidem.", None, [dict(kind="document", position="ibid")]),
    ("Id.", None, [dict(kind="document", position="ibid")]),
    ("Id. at 45.", None, [dict(kind="document", position="ibid-with-locator", page="45")]),
    ("Ebd., S. 7.", None, [dict(kind="document", position="ibid-with-locator", page="7")]),
    ("Nasr, supra note 3, at 5.", None, [dict(kind="document", position="subsequent", authors=["Nasr"], page="5")]),
    ("Warner and Hulme, supra note 20.", None, [dict(kind="document", position="subsequent", authors=["Warner", "Hulme"])]),
    ("Smith, supra, at 12.", None, [dict(kind="document", position="subsequent", authors=["Smith"], page="12")]),
    ("Thurston, op. cit., p. 130.", None, [dict(kind="document", position="subsequent", authors=["Thurston"], page="130")]),
    ("Nasr, “How the Wagner Group…”", None, [dict(kind="document", authors=["Nasr"], title="How the Wagner Group…", title_truncated=True)]),
    (
        "“Burkina Faso: Massacre Shows Need to Protect Civilians.”",
        None,
        [dict(kind="document", title="Burkina Faso: Massacre Shows Need to Protect Civilians")],
    ),
    # DOIs as authors write them become a field of their own, and never leak into the outlet or pages
    (
        "Jane Roe, “Insurgent Rivalry,” Journal of Peace Research 57, no. 2 (2020): 201–15, doi: 10.1177/0022343319876543.",
        None,
        [
            dict(
                kind="article-journal",
                authors=["Jane Roe"],
                title="Insurgent Rivalry",
                outlet="Journal of Peace Research",
                issued="2020",
                volume="57",
                issue="2",
                page="201–15",
                doi="10.1177/0022343319876543",
            )
        ],
    ),
    (
        "Jane Roe, “Insurgent Rivalry,” Journal of Peace Research 57, no 2 (2020): 201–15, DOI 10.1177/0022343319876543.",
        None,
        [
            dict(
                kind="article-journal",
                authors=["Jane Roe"],
                title="Insurgent Rivalry",
                outlet="Journal of Peace Research",
                issued="2020",
                volume="57",
                issue="2",
                page="201–15",
                doi="10.1177/0022343319876543",
            )
        ],
    ),
    (
        "Jane Roe, “Insurgent Rivalry,” Journal of Peace Research 57, no. 2 (2020), https://doi.org/10.1177/0022343319876543.",
        None,
        [
            dict(
                kind="article-journal",
                authors=["Jane Roe"],
                title="Insurgent Rivalry",
                outlet="Journal of Peace Research",
                issued="2020",
                volume="57",
                issue="2",
                url="https://doi.org/10.1177/0022343319876543",
                doi="10.1177/0022343319876543",
            )
        ],
    ),
    # lead-ins and conjunctions never leak into the authors
    (
        "See for example Jane Roe and John Doe, “A Title,” Example News, May 1, 2020.",
        None,
        [dict(kind="article", authors=["Jane Roe", "John Doe"], title="A Title", outlet="Example News", issued="2020-05-01", lead_in="See for example")],
    ),
    (
        "Cf. Jane Roe & John Doe, “A Title,” Example News, 2020.",
        None,
        [dict(kind="article", authors=["Jane Roe", "John Doe"], title="A Title", outlet="Example News", issued="2020", lead_in="Cf.")],
    ),
    (
        "Vgl. Hans Müller u. a., „Ein Titel“, Der Spiegel, 3. Mai 2020.",
        None,
        [dict(kind="article-newspaper", authors=["Hans Müller"], title="Ein Titel", outlet="Der Spiegel", issued="2020-05-03", lead_in="Vgl.")],
    ),
    (
        "Jean de la Fontaine et Pierre van der Berg, « Un titre », Le Monde, 2 mai 2020.",
        None,
        [dict(kind="article-newspaper", authors=["Jean de la Fontaine", "Pierre van der Berg"], title="Un titre", outlet="Le Monde", issued="2020-05-02")],
    ),
    # books with unquoted titles, their place and the page cited
    (
        "Steven Levitsky and Daniel Ziblatt, How Democracies Die (New York: Crown, 2018), 45.",
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
    # a chapter in an edited book, British style: ‘single quotes’ with “double” inside
    (
        "Jane Roe, ‘A “Quoted” Word’, in The Book, ed. A. Editor, trans. B. Translator (Oxford: Oxford University Press, 2019), 3–27.",
        None,
        [
            dict(
                kind="chapter",
                authors=["Jane Roe"],
                title="A “Quoted” Word",
                outlet="The Book",
                issued="2019",
                page="3–27",
                publisher_place="Oxford",
                publisher="Oxford University Press",
                editors=["A. Editor"],
                translators=["B. Translator"],
            )
        ],
    ),
    # reports with publisher parentheses, theses, conference papers, unpublished documents, encyclopedia entries
    (
        "Horn Policy Institute, Pastoral Conflict in the Horn (Nairobi: Horn Policy Institute, 2023).",
        None,
        [
            dict(
                kind="report",
                authors=["Horn Policy Institute"],
                title="Pastoral Conflict in the Horn",
                outlet="Horn Policy Institute",
                issued="2023",
                publisher_place="Nairobi",
            )
        ],
    ),
    (
        "“Pastoral Conflict in the Horn” (Nairobi: Horn Policy Institute, 2023), 12.",
        None,
        [dict(kind="report", title="Pastoral Conflict in the Horn", outlet="Horn Policy Institute", issued="2023", page="12", publisher_place="Nairobi")],
    ),
    ("“Internal review,” (internal memorandum, 2019).", None, [dict(kind="report", title="Internal review", issued="2019")]),
    (
        "Jane Roe, “Arms Flows in the Sahel” (PhD diss., University of Oxford, 2021), 44.",
        None,
        [dict(kind="thesis", authors=["Jane Roe"], title="Arms Flows in the Sahel", outlet="University of Oxford", issued="2021", page="44")],
    ),
    (
        "Jane Roe, “A Paper” (paper presented at the Annual Meeting of the International Studies Association, Toronto, March 2019).",
        None,
        [
            dict(
                kind="paper-conference",
                authors=["Jane Roe"],
                title="A Paper",
                outlet="Annual Meeting of the International Studies Association",
                issued="2019-03",
                publisher_place="Toronto",
            )
        ],
    ),
    (
        "Marie Curie, « Le Sahel en crise » (thèse de doctorat, Université Paris 1, 2018), 112.",
        None,
        [dict(kind="thesis", authors=["Marie Curie"], title="Le Sahel en crise", outlet="Université Paris 1", issued="2018", page="112")],
    ),
    (
        "“Sahel,” Encyclopaedia Britannica, accessed May 1, 2024, https://www.britannica.com/place/Sahel.",
        None,
        [
            dict(
                kind="entry-encyclopedia", title="Sahel", outlet="Encyclopaedia Britannica", accessed="2024-05-01", url="https://www.britannica.com/place/Sahel"
            )
        ],
    ),
    # Ibid. inside a sentence: the citation is the earlier work, the rest the author's own prose
    (
        "On this point, see Ibid., 52, and the sources cited there.",
        None,
        [dict(kind="document", position="ibid-with-locator", page="52", lead_in="On this point, see")],
    ),
    # a URL never swallows the sentence glued to it; other schemes are the source's address, refused when checked
    (
        "“Sahel update,” Example News, May 2, 2024, https://news.example/a/sahel.html.The update was revised.",
        None,
        [dict(kind="article", title="Sahel update", outlet="Example News", issued="2024-05-02", url="https://news.example/a/sahel.html")],
    ),
    (
        "“Internal memo,” Example News, May 2, 2024, file:///srv/share/memo.pdf.",
        None,
        [dict(kind="article", title="Internal memo", outlet="Example News", issued="2024-05-02", url="file:///srv/share/memo.pdf")],
    ),
]


def _project(src: Any) -> dict[str, Any]:
    out = {}
    for name in FIELDS:
        value = getattr(src, name)
        if name in ("issued", "accessed") and value is not None:
            value = value.iso
        if name == "position":
            value = value.value
        out[name] = value
    return out


LANGUAGE_CASES = {"en": en.CASES, "fr": fr.CASES, "de": de.CASES, "es": es.CASES}
KNOWN_GAPS = {**en.KNOWN_GAPS, **fr.KNOWN_GAPS, **de.KNOWN_GAPS, **es.KNOWN_GAPS}
ALL_CASES = CASES + [case for cases in LANGUAGE_CASES.values() for case in cases]


def _param(case: tuple[str, str | None, list[dict[str, Any]]]) -> Any:
    # a known gap is expected to fail, strictly: the day it parses right, the table must be updated
    marks = [pytest.mark.xfail(reason=KNOWN_GAPS[case[0]], strict=True)] if case[0] in KNOWN_GAPS else []
    return pytest.param(*case, marks=marks, id=case[0][:60])


@pytest.mark.parametrize(("text", "framing", "expected"), [_param(c) for c in ALL_CASES])
def test_note_parses_to_expected_fields(text: str, framing: str | None, expected: list[dict[str, Any]]) -> None:
    note = parse_note(RawNote(id="7", text=text, place=Place("t.txt", 1, 1)), OutletRegistry.default())
    assert note.framing == framing
    got = [_project(s) for s in note.sources]
    want = [{**EMPTY, **e} for e in expected]
    assert got == want


def test_the_table_holds_three_hundred_notes_in_four_languages() -> None:
    assert len(ALL_CASES) >= 300
    assert {lang: len(cases) >= 40 for lang, cases in LANGUAGE_CASES.items()} == dict.fromkeys(LANGUAGE_CASES, True)
    assert set(KNOWN_GAPS) <= {c[0] for c in ALL_CASES}  # a gap names a case of the table


def test_short_forms_as_authors_write_them_point_at_the_earlier_note_with_their_page() -> None:
    from citecheck.parse.notes import resolve_back_references

    texts = [
        "George Orwell, ‘Politics and the English Language’, Horizon 13, no. 76 (1946): 252–65.",
        "Steven Levitsky and Daniel Ziblatt, How Democracies Die (New York: Crown, 2018), 45.",
        "Orwell, ‘Politics and the English Language’, 11.",
        "Levitsky and Ziblatt, How Democracies Die, 50.",
    ]
    notes = [parse_note(RawNote(id=str(i), text=t, place=Place("t.txt", i, 1)), OutletRegistry.default()) for i, t in enumerate(texts, 1)]
    assert resolve_back_references(notes) == []
    short = [n.sources[0] for n in notes[2:]]
    assert [(s.position.value, s.refers_to, s.page) for s in short] == [("subsequent", "1.1", "11"), ("subsequent", "2.1", "50")]
    assert short[1].authors == ["Levitsky", "Ziblatt"] and short[1].title == "How Democracies Die" and short[1].outlet is None
