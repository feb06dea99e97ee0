"""French notes, as French books, reviews and newsrooms print them: « » with their spaces, p., op. cit., ibid., dir."""

from __future__ import annotations

from typing import Any

Case = tuple[str, str | None, list[dict[str, Any]]]

CASES: list[Case] = [
    # --- presse
    (
        "« Au Niger, la junte dénonce l’accord militaire avec les États-Unis », Le Monde, 17 mars 2024.",
        None,
        [dict(kind="article-newspaper", title="Au Niger, la junte dénonce l’accord militaire avec les États-Unis", outlet="Le Monde", issued="2024-03-17")],
    ),
    (
        "Morgane Le Cam, « Au Burkina Faso, l’armée accusée de massacres », Le Monde, 25 avril 2024.",
        None,
        [
            dict(
                kind="article-newspaper",
                authors=["Morgane Le Cam"],
                title="Au Burkina Faso, l’armée accusée de massacres",
                outlet="Le Monde",
                issued="2024-04-25",
            )
        ],
    ),
    (
        "Christophe Boisbouvier, « Mali : le JNIM frappe Bamako », RFI, 17 septembre 2024, https://www.rfi.fr/fr/afrique/20240917-mali-jnim-bamako.",
        None,
        [
            dict(
                kind="article-newspaper",
                authors=["Christophe Boisbouvier"],
                title="Mali : le JNIM frappe Bamako",
                outlet="RFI",
                issued="2024-09-17",
                url="https://www.rfi.fr/fr/afrique/20240917-mali-jnim-bamako",
            )
        ],
    ),
    (
        "« Sahel : la fin de l’opération Barkhane », Le Figaro, 9 novembre 2022.",
        None,
        [dict(kind="article-newspaper", title="Sahel : la fin de l’opération Barkhane", outlet="Le Figaro", issued="2022-11-09")],
    ),
    (
        "Célian Macé, « Au Sahel, les jihadistes gagnent du terrain », Libération, 1er février 2023.",
        None,
        [
            dict(
                kind="article-newspaper", authors=["Célian Macé"], title="Au Sahel, les jihadistes gagnent du terrain", outlet="Libération", issued="2023-02-01"
            )
        ],
    ),
    (
        "« Le Mali rompt avec la France », La Croix, 3 mai 2022.",
        None,
        [dict(kind="article-newspaper", title="Le Mali rompt avec la France", outlet="La Croix", issued="2022-05-03")],
    ),
    (
        "Voir « L’État islamique au Grand Sahara », Jeune Afrique, 12 janvier 2021.",
        None,
        [dict(kind="article-newspaper", title="L’État islamique au Grand Sahara", outlet="Jeune Afrique", issued="2021-01-12", lead_in="Voir")],
    ),
    (
        "Voir aussi Rémi Carayol, « Le Sahel, laboratoire de la guerre », Le Monde diplomatique, mars 2023, 12-13.",
        None,
        [
            dict(
                kind="article-magazine",
                authors=["Rémi Carayol"],
                title="Le Sahel, laboratoire de la guerre",
                outlet="Le Monde diplomatique",
                issued="2023-03",
                page="12–13",
                lead_in="Voir aussi",
            )
        ],
    ),
    (
        "« Niger : ce que l’on sait du coup d’État », France 24, 27 juillet 2023 (version française).",
        None,
        [dict(kind="article-newspaper", title="Niger : ce que l’on sait du coup d’État", outlet="France24", issued="2023-07-27", language="fr")],
    ),
    (
        "Pierre Alonso, « Les réseaux de Daech en France », Mediapart, 21.06.2023.",
        None,
        [dict(kind="article-newspaper", authors=["Pierre Alonso"], title="Les réseaux de Daech en France", outlet="Mediapart", issued="2023-06-21")],
    ),
    (
        "« Attentat de Bamako : le bilan s’alourdit », Courrier international, 19 sept. 2024.",
        None,
        [dict(kind="article-magazine", title="Attentat de Bamako : le bilan s’alourdit", outlet="Courrier international", issued="2024-09-19")],
    ),
    (
        "Cf. « Le retour des jihadistes », L’Express, 4 octobre 2023.",
        None,
        [dict(kind="article-magazine", title="Le retour des jihadistes", outlet="L'Express", issued="2023-10-04", lead_in="Cf.")],
    ),
    (
        "« Tchad : l’armée repousse une attaque de Boko Haram », Ouest-France, 24 mars 2020.",
        None,
        [dict(kind="article-newspaper", title="Tchad : l’armée repousse une attaque de Boko Haram", outlet="Ouest-France", issued="2020-03-24")],
    ),
    (
        "Nathalie Guibert, « La guerre de l’information au Sahel », Le Monde, 2 décembre 2022, p. 6.",
        None,
        [
            dict(
                kind="article-newspaper",
                authors=["Nathalie Guibert"],
                title="La guerre de l’information au Sahel",
                outlet="Le Monde",
                issued="2022-12-02",
                page="6",
            )
        ],
    ),
    # --- ouvrages
    (
        "Gilles Kepel, Terreur dans l’Hexagone (Paris : Gallimard, 2015), p. 45.",
        None,
        [dict(kind="book", authors=["Gilles Kepel"], title="Terreur dans l’Hexagone", outlet="Gallimard", issued="2015", page="45", publisher_place="Paris")],
    ),
    (
        "Olivier Roy, *Le Djihad et la Mort* (Paris : Seuil, 2016), 22.",
        None,
        [dict(kind="book", authors=["Olivier Roy"], title="Le Djihad et la Mort", outlet="Seuil", issued="2016", page="22", publisher_place="Paris")],
    ),
    (
        "Jean-Pierre Filiu, Les Arabes, leur destin et le nôtre (Paris : La Découverte, 2015).",
        None,
        [
            dict(
                kind="book",
                authors=["Jean-Pierre Filiu"],
                title="Les Arabes, leur destin et le nôtre",
                outlet="La Découverte",
                issued="2015",
                publisher_place="Paris",
            )
        ],
    ),
    (
        "Marc-Antoine Pérouse de Montclos, Une guerre perdue (Paris : JC Lattès, 2020), 87–90.",
        None,
        [
            dict(
                kind="book",
                authors=["Marc-Antoine Pérouse de Montclos"],
                title="Une guerre perdue",
                outlet="JC Lattès",
                issued="2020",
                page="87–90",
                publisher_place="Paris",
            )
        ],
    ),
    (
        "Wassim Nasr, État islamique, le fait accompli (Paris : Plon, 2016), p. 112.",
        None,
        [
            dict(
                kind="book",
                authors=["Wassim Nasr"],
                title="État islamique, le fait accompli",
                outlet="Plon",
                issued="2016",
                page="112",
                publisher_place="Paris",
            )
        ],
    ),
    (
        "Voir Hugo Micheron, Le Jihadisme français (Paris : Gallimard, 2020), 301-305.",
        None,
        [
            dict(
                kind="book",
                authors=["Hugo Micheron"],
                title="Le Jihadisme français",
                outlet="Gallimard",
                issued="2020",
                page="301–305",
                publisher_place="Paris",
                lead_in="Voir",
            )
        ],
    ),
    # --- chapitres et revues
    (
        "Bernard Rougier, « Les territoires conquis », dans Les Territoires conquis de l’islamisme, dir. Bernard Rougier (Paris : PUF, 2020), 15-40.",
        None,
        [
            dict(
                kind="chapter",
                authors=["Bernard Rougier"],
                title="Les territoires conquis",
                outlet="Les Territoires conquis de l’islamisme",
                issued="2020",
                page="15–40",
                publisher_place="Paris",
                publisher="PUF",
                editors=["Bernard Rougier"],
            )
        ],
    ),
    (
        "Boris Samuel, « Le Sahel en guerre », Politique africaine 150, no 2 (2018) : 5-25.",
        None,
        [
            dict(
                kind="article-journal",
                authors=["Boris Samuel"],
                title="Le Sahel en guerre",
                outlet="Politique africaine",
                issued="2018",
                volume="150",
                issue="2",
                page="5–25",
            )
        ],
    ),
    (
        "Yvan Guichaoua, « Les mutations de la violence au Sahel », Hérodote 172, no. 1 (2019) : 33–49.",
        None,
        [
            dict(
                kind="article-journal",
                authors=["Yvan Guichaoua"],
                title="Les mutations de la violence au Sahel",
                outlet="Hérodote",
                issued="2019",
                volume="172",
                issue="1",
                page="33–49",
            )
        ],
    ),
    (
        "Mathieu Pellerin, « Les violences armées au Sahara », Études de l’Ifri, novembre 2019.",
        None,
        [dict(kind="article", authors=["Mathieu Pellerin"], title="Les violences armées au Sahara", outlet="Études de l’Ifri", issued="2019-11")],
    ),
    # --- rapports, thèses, émissions, vidéos
    (
        "International Crisis Group, « Mali central : la fabrique d’une insurrection ? », Rapport Afrique n° 238, 6 juillet 2016.",
        None,
        [dict(kind="report", title="Mali central : la fabrique d’une insurrection ?", outlet="International Crisis Group", issued="2016-07-06")],
    ),
    (
        "Amnesty International, « Mali. Des civils tués par l’armée », 12 mai 2022.",
        None,
        [dict(kind="webpage", title="Mali. Des civils tués par l’armée", outlet="Amnesty International", issued="2022-05-12")],
    ),
    (
        "Marie Curie, « Le Sahel en crise » (thèse de doctorat, Université Paris 1, 2018), 112.",
        None,
        [dict(kind="thesis", authors=["Marie Curie"], title="Le Sahel en crise", outlet="Université Paris 1", issued="2018", page="112")],
    ),
    (
        "Wassim Nasr, « Le Sahel après Barkhane », Le Débat, France Culture, 12 janvier 2023.",
        None,
        [dict(kind="broadcast", authors=["Wassim Nasr"], title="Le Sahel après Barkhane", outlet="France Culture", issued="2023-01-12")],
    ),
    (
        "« Sahel : le point sur la situation », France 24 via YouTube, 22 octobre 2024.",
        None,
        [dict(kind="motion_picture", title="Sahel : le point sur la situation", outlet="France24", platform="YouTube", issued="2024-10-22")],
    ),
    (
        "Wassim Nasr (@SimNasr), « #Mali le JNIM revendique … », X, 17 septembre 2024.",
        None,
        [
            dict(
                kind="post",
                authors=["Wassim Nasr"],
                handle="SimNasr",
                title="#Mali le JNIM revendique …",
                title_truncated=True,
                platform="X",
                issued="2024-09-17",
            )
        ],
    ),
    (
        "« Rapport annuel 2023 », Médecins Sans Frontières, juin 2024, https://www.msf.fr/rapport-annuel-2023.",
        None,
        [dict(kind="report", title="Rapport annuel 2023", outlet="Médecins Sans Frontières", issued="2024-06", url="https://www.msf.fr/rapport-annuel-2023")],
    ),
    (
        "Entretien de l’auteur avec un responsable nigérien, Niamey, 3 mars 2023.",
        None,
        [dict(kind="interview", title="Entretien de l’auteur avec un responsable nigérien", issued="2023-03-03")],
    ),
    # --- renvois
    ("Ibid.", None, [dict(kind="document", position="ibid")]),
    ("Ibid., p. 47.", None, [dict(kind="document", position="ibid-with-locator", page="47")]),
    ("Kepel, op. cit., p. 50.", None, [dict(kind="document", authors=["Kepel"], page="50", position="subsequent")]),
    (
        "Kepel, Terreur dans l’Hexagone, op. cit., 45.",
        None,
        [dict(kind="document", authors=["Kepel"], title="Terreur dans l’Hexagone", page="45", position="subsequent")],
    ),
    # --- notes de l’auteur, citations dans la prose, plusieurs œuvres
    ("Nous reprenons ici la terminologie des acteurs eux-mêmes.", None, []),
    ("Je remercie les relecteurs anonymes pour leurs remarques.", None, []),
    (
        "N.d.T. : « Le Mali, nouveau front », Le Monde, 5 mai 2021.",
        "N.d.T.",
        [dict(kind="article-newspaper", title="Le Mali, nouveau front", outlet="Le Monde", issued="2021-05-05")],
    ),
    (
        "« Premier article », Le Monde, 1er mai 2020 ; « Deuxième article », Le Figaro, 2 mai 2020.",
        None,
        [
            dict(kind="article-newspaper", title="Premier article", outlet="Le Monde", issued="2020-05-01"),
            dict(kind="article-newspaper", title="Deuxième article", outlet="Le Figaro", issued="2020-05-02"),
        ],
    ),
    (
        "« Sahel », Encyclopædia Universalis, consulté le 3 mai 2024.",
        None,
        [dict(kind="entry-encyclopedia", title="Sahel", outlet="Encyclopædia Universalis", accessed="2024-05-03")],
    ),
    (
        "« Le djihadisme au Sahel », Les Echos, 14 février 2023, https://www.lesechos.fr/monde/afrique-moyen-orient/le-djihadisme-au-sahel-1907651.",
        None,
        [
            dict(
                kind="article-newspaper",
                title="Le djihadisme au Sahel",
                outlet="Les Echos",
                issued="2023-02-14",
                url="https://www.lesechos.fr/monde/afrique-moyen-orient/le-djihadisme-au-sahel-1907651",
            )
        ],
    ),
    (
        "Jean Dupont et Marie Martin, « Les milices au Burkina Faso », Le Point, 8 août 2023.",
        None,
        [dict(kind="article-magazine", authors=["Jean Dupont", "Marie Martin"], title="Les milices au Burkina Faso", outlet="Le Point", issued="2023-08-08")],
    ),
    (
        "Jean Dupont et coll., « La Wagner au Mali », Le Nouvel Obs, 2 février 2022.",
        None,
        [dict(kind="article-magazine", authors=["Jean Dupont"], title="La Wagner au Mali", outlet="Le Nouvel Obs", issued="2022-02-02")],
    ),
    (
        "« Le JNIM revendique l’attaque », TV5Monde, 18 sept. 2024.",
        None,
        [dict(kind="article-newspaper", title="Le JNIM revendique l’attaque", outlet="TV5Monde", issued="2024-09-18")],
    ),
]

KNOWN_GAPS: dict[str, str] = {}
