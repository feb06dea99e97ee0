"""The bundled example's cited works on a fake web, at URLs shaped like the real ones, with the
services discovery asks (tests/fakeweb.py) holding what the real ones would: the outlets' pages
among others of the same days (decoys), the archive's listings of them, GDELT's article list,
a search index, the X posts and the YouTube video. One work is deliberately absent (note 15's
post), so that the example must end with it honestly `unlinked`.

`SeedWeb(tmp)` starts it and writes `citecheck.toml` (the outlets' sites and domains on
loopback, the services' endpoints); `EXPECTED` is each note's true URL path on its host.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from citecheck.outlets import OutletRegistry
from tests.fakeweb import Article, Capture, FakeServices, Pages, Result
from tests.loopback import Loopback, Response, page

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "fixtures" / "pages"
SEED = ROOT / "fixtures" / "ctc-sentinel-nasr-interview.txt"
HOSTS = {
    "Human Rights Watch": "127.0.0.141",
    "BBC": "127.0.0.142",
    "France24": "127.0.0.143",
    "RFI": "127.0.0.144",
    "CTC Sentinel": "127.0.0.145",
    "United Nations": "127.0.0.146",
    "api": "127.0.0.147",
}

# note -> (outlet host, path as written, fixture page): where each work the example cites lives
WORKS: dict[str, tuple[str, str, str]] = {
    "1.2": ("France24", "/en/africa/20241022-sahel-al-qaeda-ngos-fulani-communities-the-latest-on-the-situation", "france24-en-sahel.html"),
    "2": ("RFI", "/fr/afrique/20220218-mali-au-moins-40-civils-tués-dans-la-zone-des-trois-frontières", "rfi-mali.html"),
    "3": ("CTC Sentinel", "/how-the-wagner-group-is-aggravating-the-jihadi-threat-in-the-sahel/", "ctc-wagner.html"),
    "4": ("BBC", "/news/articles/c0mzpqj2pd9o", "bbc-mali-attack.html"),
    "6": ("BBC", "/news/world-africa-54719497", "bbc-radisson.html"),
    "7": ("BBC", "/news/world-africa-40926349", "bbc-cafe.html"),
    "8": ("France24", "/en/africa/20240903-barsalogho-massacre-jihadist-violence-on-the-rise-in-burkina-faso-mali-niger", "france24-en-barsalogho.html"),
    "9": ("Human Rights Watch", "/news/2024/10/29/burkina-faso-massacre-shows-need-protect-civilians", "hrw-barsalogho.html"),
    "14": ("United Nations", "/en/S/2024/556", "un-monitoring-report.pdf"),
    "16": ("CTC Sentinel", "/journey-to-damascus-an-interview-with-wassim-nasr-journalist-france24/", "ctc-journey.html"),
}
VIDEO = "https://www.youtube.com/watch?v=sahel202410"  # note 1.1: resolved through the (fake) oEmbed endpoint
POSTS = {"5": "1837216470366576813", "13": "1824808397829046272"}  # note 15's post is deliberately not in the fake archive


class SeedWeb:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.lb = Loopback(*HOSTS.values())
        self.services = FakeServices()

    def __enter__(self) -> SeedWeb:
        self.lb.__enter__()
        self.sites = dict(zip(HOSTS, self.lb.sites))
        self.pages = {name: Pages(site) for name, site in self.sites.items() if name != "api"}
        self.services.routes(self.sites["api"])
        self._fill()
        self.config = self.out / "citecheck.toml"
        self.config.write_text(self._config(), "utf-8")
        return self

    def __exit__(self, *exc: object) -> None:
        self.lb.__exit__(*exc)

    def url(self, note: str) -> str:
        outlet, path, _ = WORKS[note]
        return self.sites[outlet].url(path)

    def _fill(self) -> None:
        s = self.services
        for note, (outlet, path, fixture) in WORKS.items():
            kind = "application/pdf" if fixture.endswith(".pdf") else "text/html; charset=utf-8"
            url = self.pages[outlet].add(path, Response(200, (PAGES / fixture).read_bytes(), {"Content-Type": kind}))
            s.captures.append(Capture(url, "20250101000000" if note in ("3", "16") else _capture_day(path)))
        # the one work the example links (note 10), served here so that no test asks the real site
        self.note10 = self.pages["Human Rights Watch"].add(
            "/sites/default/files/media_2024/10/JNIM response to HRW.pdf",
            Response(200, (PAGES / "un-monitoring-report.pdf").read_bytes(), {"Content-Type": "application/pdf"}),
        )
        # other pages of the same days and sections: what a listing holds besides the work
        decoys = {
            "France24": [
                "/en/africa/20240903-burkina-faso-junta-says-army-repelled-attack",
                "/en/europe/20240903-paris-paralympics-day-six",
                "/en/africa/20240902-mali-army-drone-strike-kills-21",
                "/en/africa/20241022-senegal-election-campaign-opens",
                "/en/africa/20241023-sahel-al-qaeda-ngos-fulani-communities-the-latest-on-the-situation-live",
            ],
            "RFI": ["/fr/afrique/20220218-burkina-faso-le-capitaine-traore-nomme", "/fr/afrique/20220217-mali-la-france-annonce-son-retrait"],
            "Human Rights Watch": ["/news/2024/10/29/sudan-army-shelling-kills-civilians", "/news/2024/10/30/burkina-faso-massacre-witness-accounts"],
        }
        for outlet, paths in decoys.items():
            for path in paths:
                url = self.pages[outlet].add(path, page("Another story of the day", "Other reporting."))
                s.captures.append(Capture(url, _capture_day(path)))
        bbc = self.sites["BBC"]
        for note, title, seen in (
            ("4", "Al-Qaeda-linked group says it was behind Mali attack", "20240917T101500Z"),
            ("6", "Mali Radisson Blu attack: Two Islamists sentenced to death", "20201028T090000Z"),
            ("7", "Burkina Faso gun attack kills 18 people at café", "20170814T081500Z"),
        ):
            s.articles.append(Article(self.url(note), title, seen, HOSTS["BBC"]))
        s.articles.append(
            Article(bbc.url("/news/articles/cx2l5k0e1r8o"), "Mali attack: Jihadists target Bamako military school", "20240917T120000Z", HOSTS["BBC"])
        )
        self.pages["BBC"].add("/news/articles/cx2l5k0e1r8o", page("Mali attack: Jihadists target Bamako military school - BBC News"))
        un = HOSTS["United Nations"]
        s.index += [
            Result(
                self.url("14"),
                "Thirty-fourth report of the Analytical Support and Sanctions Monitoring Team submitted pursuant to resolution 2734 "
                "(2024) concerning ISIL (Da'esh), Al-Qaida and associated individuals and entities - S/2024/556",
                "Letter dated 19 July 2024 from the Chair of the Security Council Committee…",
                "2024-07-22",
            ),
            Result(
                self.sites["United Nations"].url("/en/S/2024/92"),
                "Thirty-third report of the Analytical Support and Sanctions Monitoring Team",
                "…",
                "2024-01-29",
            ),
            Result(VIDEO, "Sahel : Al Qaïda, ONG, communautés peules… le point sur la situation - YouTube", "FRANCE 24", "2024-10-22"),
        ]
        self.pages["United Nations"].add("/en/S/2024/92", page("Thirty-third report of the Analytical Support and Sanctions Monitoring Team"))
        assert un
        s.videos["sahel202410"] = ("Sahel : Al Qaïda, ONG, communautés peules… le point sur la situation", "FRANCE 24")
        s.posts[POSTS["5"]] = (
            "Wassim Nasr",
            "SimNasr",
            "#Mali #JNIM #AQMI annonce un com d’Abou Houzeifa al-Bamabari en Bambara /resume l’audio de Kouffa en Peul",
        )
        s.posts[POSTS["13"]] = (
            "Wassim Nasr",
            "SimNasr",
            "#Mali en vu de la guerre avec FAMa &amp; Wagner, la wilaya de #Tombouctou du #JNIM demande aux ONG de quitter",
        )
        s.posts["1837100000000000000"] = ("Wassim Nasr", "SimNasr", "Un autre sujet ce jour-là")
        for post_id, captured in ((POSTS["5"], "20240921083000"), (POSTS["13"], "20240818101500"), ("1837100000000000000", "20240921090000")):
            s.captures.append(Capture(f"https://twitter.com/SimNasr/status/{post_id}", captured))

    def _config(self) -> str:
        registry = OutletRegistry.default()
        lines = ["[check]", "min_interval = 0", "archive_rate = 6000", "", "[endpoints]"]
        lines += [f'{k} = "{v}"' for k, v in self.services.endpoints(self.sites["api"]).items()]
        lines += ["", "[discover]", f'search_url = "{self.sites["api"].url("/searx")}"', "gdelt_interval = 0", ""]
        for name, host in HOSTS.items():
            if name == "api":
                continue
            o = registry.lookup(name)
            assert o is not None
            row: dict[str, Any] = {
                "name": o.name,
                "kind": o.kind,
                "domains": [host],
                "site": self.sites[name].url("").rstrip("/"),
                "article_urls": list(o.article_urls),
                "listings": list(o.listings),
                "slug": o.slug,
            }
            lines.append("[[outlet]]")
            lines += [f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in row.items()]
            lines.append("")
        return "\n".join(lines) + "\n"


def _capture_day(path: str) -> str:
    import re

    m = re.search(r"(20\d{2})[/-]?(\d{2})[/-]?(\d{2})", path)
    return f"{m.group(1)}{m.group(2)}{m.group(3)}120000" if m else "20250101000000"
