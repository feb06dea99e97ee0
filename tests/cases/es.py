"""Spanish notes, as Spanish and Latin American books, journals and newsrooms print them: « » or “ ”, pp., Véase, Íd., op. cit., en."""

from __future__ import annotations

from typing import Any

Case = tuple[str, str | None, list[dict[str, Any]]]

CASES: list[Case] = [
    # --- prensa
    (
        "«El yihadismo avanza en el Sahel», El País, 3 de marzo de 2024.",
        None,
        [dict(kind="article-newspaper", title="El yihadismo avanza en el Sahel", outlet="El País", issued="2024-03-03")],
    ),
    (
        "Javier Espinosa, «La guerra olvidada de Malí», El Mundo, 14 de enero de 2023.",
        None,
        [dict(kind="article-newspaper", authors=["Javier Espinosa"], title="La guerra olvidada de Malí", outlet="El Mundo", issued="2023-01-14")],
    ),
    (
        "“Golpe de Estado en Níger,” La Vanguardia, 27 de julio de 2023.",
        None,
        [dict(kind="article-newspaper", title="Golpe de Estado en Níger", outlet="La Vanguardia", issued="2023-07-27")],
    ),
    (
        "Véase «Wagner en África», El Confidencial, 5 de mayo de 2022.",
        None,
        [dict(kind="article-newspaper", title="Wagner en África", outlet="El Confidencial", issued="2022-05-05", lead_in="Véase")],
    ),
    (
        "«Ataque en Burkina Faso deja decenas de muertos», EFE, 26 de agosto de 2024.",
        None,
        [dict(kind="article-newspaper", title="Ataque en Burkina Faso deja decenas de muertos", outlet="EFE", issued="2024-08-26")],
    ),
    (
        "Trinidad Deiros, «España y el Sahel», El País, 12 de febrero de 2024, https://elpais.com/internacional/2024-02-12/espana-y-el-sahel.html.",
        None,
        [
            dict(
                kind="article-newspaper",
                authors=["Trinidad Deiros"],
                title="España y el Sahel",
                outlet="El País",
                issued="2024-02-12",
                url="https://elpais.com/internacional/2024-02-12/espana-y-el-sahel.html",
            )
        ],
    ),
    (
        "«La crisis del Sahel», Clarín, 8 de agosto de 2023.",
        None,
        [dict(kind="article-newspaper", title="La crisis del Sahel", outlet="Clarín", issued="2023-08-08")],
    ),
    (
        "«Malí expulsa al embajador francés», RTVE, 31 de enero de 2022.",
        None,
        [dict(kind="article-newspaper", title="Malí expulsa al embajador francés", outlet="RTVE", issued="2022-01-31")],
    ),
    (
        "Gonzalo Escribano, «El gas argelino», elDiario.es, 4 de octubre de 2022.",
        None,
        [dict(kind="article-newspaper", authors=["Gonzalo Escribano"], title="El gas argelino", outlet="elDiario.es", issued="2022-10-04")],
    ),
    (
        "«Níger rompe con Francia», Público, 3 de agosto de 2023.",
        None,
        [dict(kind="article-newspaper", title="Níger rompe con Francia", outlet="Público", issued="2023-08-03")],
    ),
    (
        "«Yihadismo en África Occidental», La Nación, 2 de septiembre de 2024.",
        None,
        [dict(kind="article-newspaper", title="Yihadismo en África Occidental", outlet="La Nación", issued="2024-09-02")],
    ),
    (
        "Ana Pérez y Luis García, «El Sahel en llamas», El Periódico, 9 de junio de 2023.",
        None,
        [dict(kind="article-newspaper", authors=["Ana Pérez", "Luis García"], title="El Sahel en llamas", outlet="El Periódico", issued="2023-06-09")],
    ),
    (
        "Ana Pérez y otros, «Terrorismo en Mozambique», ABC, 18 de marzo de 2021.",
        None,
        [dict(kind="article", authors=["Ana Pérez"], title="Terrorismo en Mozambique", outlet="ABC", issued="2021-03-18")],
    ),
    (
        "«Atentado en Bamako», El Universal, 17 de septiembre de 2024, p. 12.",
        None,
        [dict(kind="article-newspaper", title="Atentado en Bamako", outlet="El Universal", issued="2024-09-17", page="12")],
    ),
    (
        "«Sahel: la respuesta europea», Cadena SER, 20 de mayo de 2024.",
        None,
        [dict(kind="broadcast", title="Sahel: la respuesta europea", outlet="Cadena SER", issued="2024-05-20")],
    ),
    # --- libros y capítulos
    (
        "Fernando Reinares, Yihadismo global y España (Madrid: Alianza, 2021), 45.",
        None,
        [
            dict(
                kind="book",
                authors=["Fernando Reinares"],
                title="Yihadismo global y España",
                outlet="Alianza",
                issued="2021",
                page="45",
                publisher_place="Madrid",
            )
        ],
    ),
    (
        "Jesús A. Núñez Villaverde, *El Sahel en la encrucijada* (Barcelona: Icaria, 2019), pp. 12-15.",
        None,
        [
            dict(
                kind="book",
                authors=["Jesús A. Núñez Villaverde"],
                title="El Sahel en la encrucijada",
                outlet="Icaria",
                issued="2019",
                page="12–15",
                publisher_place="Barcelona",
            )
        ],
    ),
    (
        "Véase Luis de la Corte, La lógica del terrorismo (Madrid: Alianza, 2006), 88.",
        None,
        [
            dict(
                kind="book",
                authors=["Luis de la Corte"],
                title="La lógica del terrorismo",
                outlet="Alianza",
                issued="2006",
                page="88",
                publisher_place="Madrid",
                lead_in="Véase",
            )
        ],
    ),
    (
        "Javier Jordán, «El terrorismo yihadista», en Manual de estudios de seguridad, ed. Ana Pérez (Granada: Universidad de Granada, 2018), 101–120.",
        None,
        [
            dict(
                kind="chapter",
                authors=["Javier Jordán"],
                title="El terrorismo yihadista",
                outlet="Manual de estudios de seguridad",
                issued="2018",
                page="101–120",
                publisher_place="Granada",
                publisher="Universidad de Granada",
                editors=["Ana Pérez"],
            )
        ],
    ),
    (
        "Carola García-Calvo, «Mujeres y yihad», Revista de Estudios Políticos 180 (2018): 137–165.",
        None,
        [
            dict(
                kind="article-journal",
                authors=["Carola García-Calvo"],
                title="Mujeres y yihad",
                outlet="Revista de Estudios Políticos",
                issued="2018",
                volume="180",
                page="137–165",
            )
        ],
    ),
    (
        "Óscar Garrido Guijarro, «El yihadismo en el Sahel», Revista Española de Ciencia Política 45, n.º 2 (2017): 33–56.",
        None,
        [
            dict(
                kind="article-journal",
                authors=["Óscar Garrido Guijarro"],
                title="El yihadismo en el Sahel",
                outlet="Revista Española de Ciencia Política",
                issued="2017",
                volume="45",
                issue="2",
                page="33–56",
            )
        ],
    ),
    # --- informes, tesis, vídeos, publicaciones en redes
    (
        "Real Instituto Elcano, «El Sahel y la seguridad europea», ARI 45/2023, 14 de junio de 2023.",
        None,
        [dict(kind="report", title="El Sahel y la seguridad europea", outlet="Real Instituto Elcano", issued="2023-06-14")],
    ),
    (
        "Human Rights Watch, «Burkina Faso: masacre de civiles», 29 de octubre de 2024.",
        None,
        [dict(kind="webpage", title="Burkina Faso: masacre de civiles", outlet="Human Rights Watch", issued="2024-10-29")],
    ),
    (
        "Amnistía Internacional, «Malí: civiles asesinados», mayo de 2022, https://www.es.amnesty.org/en-que-estamos/noticias/mali/.",
        None,
        [
            dict(
                kind="webpage",
                title="Malí: civiles asesinados",
                outlet="Amnesty International",
                issued="2022-05",
                url="https://www.es.amnesty.org/en-que-estamos/noticias/mali/",
            )
        ],
    ),
    (
        "María López, «Yihadismo y crimen organizado» (tesis doctoral, Universidad Complutense de Madrid, 2020), 210.",
        None,
        [
            dict(
                kind="thesis",
                authors=["María López"],
                title="Yihadismo y crimen organizado",
                outlet="Universidad Complutense de Madrid",
                issued="2020",
                page="210",
            )
        ],
    ),
    (
        "«Sahel: claves del conflicto», RTVE vía YouTube, 10 de febrero de 2024.",
        None,
        [dict(kind="motion_picture", title="Sahel: claves del conflicto", outlet="RTVE", platform="YouTube", issued="2024-02-10")],
    ),
    (
        "Wassim Nasr (@SimNasr), publicación en X, 3 de marzo de 2024.",
        None,
        [dict(kind="post", authors=["Wassim Nasr"], handle="SimNasr", platform="X", issued="2024-03-03")],
    ),
    (
        "Entrevista del autor con un funcionario maliense, Bamako, marzo de 2023.",
        None,
        [dict(kind="interview", title="Entrevista del autor con un funcionario maliense", issued="2023-03")],
    ),
    (
        "«Sahel», Wikipedia, consultado el 3 de mayo de 2024, https://es.wikipedia.org/wiki/Sahel.",
        None,
        [dict(kind="entry-encyclopedia", title="Sahel", outlet="Wikipedia", accessed="2024-05-03", url="https://es.wikipedia.org/wiki/Sahel")],
    ),
    (
        "ACNUR, «Tendencias globales 2023», 13 de junio de 2024, p. 8.",
        None,
        [dict(kind="report", title="Tendencias globales 2023", outlet="UNHCR", issued="2024-06-13", page="8")],
    ),
    # --- remisiones
    ("Ibíd.", None, [dict(kind="document", position="ibid")]),
    ("Ibid., p. 23.", None, [dict(kind="document", position="ibid-with-locator", page="23")]),
    ("Íd., pp. 4-7.", None, [dict(kind="document", position="ibid-with-locator", page="4–7")]),
    ("Reinares, op. cit., p. 50.", None, [dict(kind="document", authors=["Reinares"], page="50", position="subsequent")]),
    # --- notas del autor y varias obras
    ("Utilizamos aquí la terminología de los propios actores.", None, []),
    ("Agradezco a los revisores anónimos sus comentarios.", None, []),
    (
        "«Primer artículo», El País, 1 de mayo de 2020; «Segundo artículo», El Mundo, 2 de mayo de 2020.",
        None,
        [
            dict(kind="article-newspaper", title="Primer artículo", outlet="El País", issued="2020-05-01"),
            dict(kind="article-newspaper", title="Segundo artículo", outlet="El Mundo", issued="2020-05-02"),
        ],
    ),
    (
        "Véase también «Otro artículo», El País, 3 de mayo de 2020.",
        None,
        [dict(kind="article-newspaper", title="Otro artículo", outlet="El País", issued="2020-05-03", lead_in="Véase también")],
    ),
    (
        "N. del E.: «El yihadismo avanza en el Sahel», El País, 3 de marzo de 2024.",
        "N. del E.",
        [dict(kind="article-newspaper", title="El yihadismo avanza en el Sahel", outlet="El País", issued="2024-03-03")],
    ),
    (
        "N. del T.: «La guerra olvidada», El Mundo, 14 de enero de 2023.",
        "N. del T.",
        [dict(kind="article-newspaper", title="La guerra olvidada", outlet="El Mundo", issued="2023-01-14")],
    ),
    (
        "«Informe anual 2023», Médicos Sin Fronteras, junio de 2024.",
        None,
        [dict(kind="report", title="Informe anual 2023", outlet="Médecins Sans Frontières", issued="2024-06")],
    ),
    # --- cine y más prensa
    (
        "Timbuktu, dirigida por Abderrahmane Sissako (París: Les Films du Worso, 2014).",
        None,
        [dict(kind="motion_picture", authors=["Abderrahmane Sissako"], title="Timbuktu", outlet="Les Films du Worso", issued="2014", publisher_place="París")],
    ),
    (
        "«La ofensiva yihadista en Mozambique», La Vanguardia, 25 de marzo de 2021, p. 8.",
        None,
        [dict(kind="article-newspaper", title="La ofensiva yihadista en Mozambique", outlet="La Vanguardia", issued="2021-03-25", page="8")],
    ),
    (
        "Véase Fernando Reinares y Carola García-Calvo, «Yihadistas en España», Real Instituto Elcano, 2 de febrero de 2023.",
        None,
        [
            dict(
                kind="report",
                authors=["Fernando Reinares", "Carola García-Calvo"],
                title="Yihadistas en España",
                outlet="Real Instituto Elcano",
                issued="2023-02-02",
                lead_in="Véase",
            )
        ],
    ),
    (
        "«Malí: la ONU se retira», EFE, 30 de junio de 2023, https://efe.com/mundo/2023-06-30/mali-onu-retira/.",
        None,
        [
            dict(
                kind="article-newspaper",
                title="Malí: la ONU se retira",
                outlet="EFE",
                issued="2023-06-30",
                url="https://efe.com/mundo/2023-06-30/mali-onu-retira/",
            )
        ],
    ),
]

KNOWN_GAPS: dict[str, str] = {}
