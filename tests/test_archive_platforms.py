"""Archives and platforms against loopback fakes that reproduce the real services' answers."""

from __future__ import annotations

import asyncio
import json
from urllib.parse import parse_qs, urlsplit

import pytest

from citecheck.config import FetchOptions
from citecheck.endpoints import Endpoints
from citecheck.fetch.resolver import Resolver
from citecheck.model import ArchivePointer, Document, Note, PartialDate, Place, Source, Verdict
from citecheck.pipeline.check import check_document
from citecheck.pipeline.pages import Verification
from citecheck.recover.archive import ArchiveOptions, Archives, order_candidates, parse_timemap, stamp, variants
from citecheck.recover.platforms import js_radix, syndication_token

from .loopback import Loopback, Request, Response, page

CAPTURES = {  # timestamp -> what the raw capture is
    "20241025120000": page("Burkina Faso: Massacre Shows Need to Protect Civilians", "witnesses said..."),
    "20241030090000": page("Burkina Faso: Massacre Shows Need to Protect Civilians", "witnesses said..."),
    "20241101000000": page("Page not found", status=200),  # an error page captured with 200
    "20250301000000": page("Burkina Faso: Massacre Shows Need to Protect Civilians"),
}


def q(req: Request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(req.path).query).items()}


@pytest.fixture
def fakes():
    """One loopback host standing for the Wayback Machine, archive.today, X and YouTube."""
    with Loopback("127.0.0.20") as lb:
        api = lb[0]
        state = {"cdx_429": 0}

        def cdx(req: Request) -> Response:
            params = q(req)
            url = params["url"]
            if params.get("matchType") == "prefix":  # an author's posts, for notes that cite a post without its URL
                rows = [["original", "timestamp"]]
                if url.startswith("twitter.com/SimNasr/status/"):
                    for post_id in (
                        "1837216470366576813",  # 2024-09-20, the cited post
                        "1837100000000000000",  # 2024-09-20, another post that day
                        "1830000000000000000",
                    ):  # 2024-08-31, outside the window
                        rows.append([f"https://twitter.com/SimNasr/status/{post_id}", "20240921000000"])
                return Response(200, json.dumps(rows).encode(), {"Content-Type": "application/json"})
            if "blocked.example" in url:
                return Response(403, b"org.archive.wayback.exception.AdministrativeAccessControlException: Blocked Site Error", {"Content-Type": "text/plain"})
            if "malformed.example" in url:
                return Response(200, b'[["urlkey",', {"Content-Type": "application/json"})
            if "ratelimited.example" in url and state["cdx_429"] == 0:
                state["cdx_429"] += 1
                return Response(429, b"", {"Retry-After": "1"})
            if "hrw.example" not in url and "ratelimited.example" not in url and "twitter.com/SimNasr" not in url:
                return Response(200, b"[]", {"Content-Type": "application/json"})
            rows = [["timestamp", "original", "statuscode", "mimetype"]]
            rows += [[ts, "https://www." + url.split("www.")[-1] if "www." in url else "https://" + url, "200", "text/html"] for ts in CAPTURES]
            return Response(200, json.dumps(rows).encode(), {"Content-Type": "application/json"})

        def availability(req: Request) -> Response:
            params = q(req)
            if "only-availability.example" in params["url"]:
                snap = {
                    "available": True,
                    "url": f"http://web.archive.org/web/20241030090000/https://{params['url']}",
                    "timestamp": "20241030090000",
                    "status": "200",
                }
                return Response(200, json.dumps({"url": params["url"], "archived_snapshots": {"closest": snap}}).encode())
            if "non200.example" in params["url"]:
                snap = {"available": True, "url": "http://web.archive.org/web/20241030090000/x", "timestamp": "20241030090000", "status": "302"}
                return Response(200, json.dumps({"archived_snapshots": {"closest": snap}}).encode())
            return Response(200, json.dumps({"url": params["url"], "archived_snapshots": {}}).encode())

        def web(req: Request) -> Response:
            ts = req.path.split("/web/")[1][:14]
            return CAPTURES.get(ts, page("Wayback Machine has not archived that URL", status=404))

        def archive_today(req: Request) -> Response:
            if "today-only.example" not in req.path:
                return Response(404, b"")
            body = (
                '<https://today-only.example/a>; rel="original",\n'
                '<https://archive.ph/timemap/https://today-only.example/a>; rel="self"; type="application/link-format",\n'
                '<https://archive.ph/AbCd1>; rel="first memento"; datetime="Tue, 01 Oct 2024 10:00:00 GMT",\n'
                '<https://archive.ph/EfGh2>; rel="last memento"; datetime="Sat, 02 Nov 2024 10:00:00 GMT"\n'
            )
            return Response(200, body.encode(), {"Content-Type": "application/link-format"})

        def x_oembed(req: Request) -> Response:
            url = q(req)["url"]
            if url.endswith("/1837100000000000000"):
                html = (
                    '<blockquote class="twitter-tweet"><p lang="fr" dir="ltr">Un autre sujet ce jour-là</p>&mdash; Wassim Nasr (@SimNasr) '
                    '<a href="https://twitter.com/SimNasr/status/1837100000000000000">September 20, 2024</a></blockquote>'
                )
                return Response(200, json.dumps({"author_name": "Wassim Nasr", "author_url": "https://twitter.com/SimNasr", "html": html}).encode())
            if url.endswith("/1837216470366576813"):
                html = (
                    '<blockquote class="twitter-tweet"><p lang="fr" dir="ltr">#Mali #JNIM #AQMI annonce un com d’Abou Houzeifa al-Bamabari en Bambara /resume l’audio de Kouffa en Peul</p>'
                    '&mdash; Wassim Nasr (@SimNasr) <a href="https://twitter.com/SimNasr/status/1837216470366576813?ref_src=twsrc%5Etfw">September 20, 2024</a></blockquote>'
                )
                return Response(
                    200,
                    json.dumps(
                        {
                            "url": url,
                            "author_name": "Wassim Nasr",
                            "author_url": "https://twitter.com/SimNasr",
                            "html": html,
                            "type": "rich",
                            "provider_name": "Twitter",
                            "version": "1.0",
                        }
                    ).encode(),
                    {"Content-Type": "application/json"},
                )
            return Response(404, b"")

        def x_syndication(req: Request) -> Response:
            params = q(req)
            api.requests[-1].headers["x-token-ok"] = str(params.get("token") == syndication_token(params["id"]))
            if params["id"] == "1700000000000000000":
                return Response(200, json.dumps({"__typename": "TweetTombstone", "tombstone": {"text": {"text": "This Post was deleted"}}}).encode())
            if params["id"] == "1600000000000000000":
                return Response(
                    200,
                    json.dumps(
                        {
                            "__typename": "Tweet",
                            "id_str": "1600000000000000000",
                            "text": "Still here",
                            "created_at": "2022-12-06T10:00:00.000Z",
                            "lang": "en",
                            "user": {"name": "Someone", "screen_name": "someone"},
                        }
                    ).encode(),
                )
            return Response(404, b"")

        def youtube(req: Request) -> Response:
            url = q(req)["url"]
            if url.endswith("v=live123456"):
                return Response(
                    200,
                    json.dumps(
                        {
                            "title": "Sahel : Al Qaïda, ONG, communautés peules… le point sur la situation",
                            "author_name": "FRANCE 24",
                            "author_url": "https://www.youtube.com/@FRANCE24",
                            "type": "video",
                            "provider_name": "YouTube",
                        }
                    ).encode(),
                )
            if url.endswith("v=private1234"):
                return Response(401, b"Unauthorized")
            if url.endswith("v=weirdbody12"):
                return Response(200, b"<html>Bad Request</html>")
            return Response(404, b"Not Found")

        api.route("/cdx/search/cdx", cdx)
        api.route("/wayback/available", availability)
        api.route("/oembed", x_oembed)
        api.route("/tweet-result", x_syndication)
        api.route("/yt/oembed", youtube)

        def fallback(req: Request) -> Response:
            if req.path.startswith("/web/"):
                return web(req)
            if req.path.startswith("/timemap/"):
                return archive_today(req)
            return page("Not Found", status=404)

        api.fallback = fallback
        base = api.url("")
        endpoints = Endpoints(
            wayback_availability=f"{base}/wayback/available",
            wayback_cdx=f"{base}/cdx/search/cdx",
            wayback_web=f"{base}/web",
            wayback_save=f"{base}/save",
            archive_today=base,
            x_oembed=f"{base}/oembed",
            x_syndication=f"{base}/tweet-result",
            youtube_oembed=f"{base}/yt/oembed",
        )
        yield api, endpoints


def opts(**kw: object) -> FetchOptions:
    base = dict(allow_private=True, min_interval=0.0, backoff_initial=0.05, backoff_max=0.1, dns_canary="localhost", http2=False, soft404_probe=False)
    base.update(kw)
    return FetchOptions(**base)  # type: ignore[arg-type]


def find(endpoints: Endpoints, url: str, cited: PartialDate | None, **kw: object):
    async def go():
        async with Resolver(opts()) as r:
            return await Archives(r, endpoints, ArchiveOptions(per_minute=kw.pop("per_minute", 6000))).find(url, cited)  # type: ignore[arg-type]

    return asyncio.run(go())


def test_snapshot_closest_to_the_cited_date_preferring_before(fakes) -> None:
    api, endpoints = fakes
    snap, tried = find(endpoints, "https://www.hrw.example/news/2024/10/29/burkina", PartialDate(2024, 10, 29))
    assert snap is not None and snap.timestamp == "20241025120000" and snap.verified
    assert snap.url.endswith("/web/20241025120000/https://www.hrw.example/news/2024/10/29/burkina")
    assert "chose 20241025120000" in tried[-1]


def test_error_page_captures_are_skipped(fakes) -> None:
    api, endpoints = fakes
    # nearest to Nov 1 before it is the capture of Nov 1, an error page answered with 200: skipped
    snap, tried = find(endpoints, "https://www.hrw.example/a", PartialDate(2024, 11, 1))
    assert snap is not None and snap.timestamp == "20241030090000"


def test_without_a_date_the_newest_good_capture(fakes) -> None:
    api, endpoints = fakes
    snap, _ = find(endpoints, "https://www.hrw.example/a", None)
    assert snap is not None and snap.timestamp == "20250301000000"


def test_availability_is_a_second_opinion_and_empty_is_not_proof(fakes) -> None:
    api, endpoints = fakes
    snap, tried = find(endpoints, "https://only-availability.example/a", PartialDate(2024, 10, 30))
    assert snap is not None and snap.service == "wayback" and "Wayback availability: chose" in tried[-1]
    snap, tried = find(endpoints, "https://non200.example/a", None)
    assert snap is None and any("not proof" in t for t in tried)


def test_archive_today_timemap_as_a_last_resort(fakes) -> None:
    api, endpoints = fakes
    snap, tried = find(endpoints, "https://today-only.example/a", PartialDate(2024, 10, 15))
    assert snap is not None and snap.service == "archive.today" and snap.url == "https://archive.ph/AbCd1" and not snap.verified


def test_blocked_and_malformed_answers_are_reported_not_raised(fakes) -> None:
    api, endpoints = fakes
    _, tried = find(endpoints, "https://blocked.example/a", None)
    assert any("excluded from the Wayback Machine" in t for t in tried)
    _, tried = find(endpoints, "https://malformed.example/a", None)
    assert any("malformed answer" in t for t in tried)


def test_cdx_429_is_honoured_and_cdx_calls_are_paced(fakes) -> None:
    api, endpoints = fakes
    snap, _ = find(endpoints, "https://ratelimited.example/a", None, per_minute=120)  # 0.5 s apart
    assert snap is not None
    cdx = [r for r in api.requests if r.path.startswith("/cdx/")]
    assert len(cdx) == 2 and cdx[1].started - cdx[0].ended >= 0.8  # Retry-After: 1

    api.requests.clear()
    find(endpoints, "https://nothing.example/a", None, per_minute=120)  # two variants, both empty: two CDX calls
    cdx = [r.started for r in api.requests if r.path.startswith("/cdx/")]
    assert len(cdx) == 2 and cdx[1] - cdx[0] >= 0.4


def test_variants_and_ordering() -> None:
    assert variants("https://x.com/SimNasr/status/1837216470366576813") == [
        "twitter.com/SimNasr/status/1837216470366576813",
        "x.com/SimNasr/status/1837216470366576813",
        "mobile.twitter.com/SimNasr/status/1837216470366576813",
    ]
    assert variants("https://www.rfi.fr/fr/a/") == ["www.rfi.fr/fr/a/", "www.rfi.fr/fr/a"]
    assert stamp(PartialDate(2022)) == "20221228235959"
    cands = [("20240101000000", "a"), ("20241020000000", "a"), ("20241105000000", "a")]
    assert [c[0] for c in order_candidates(cands, "20241030000000")] == ["20241020000000", "20240101000000", "20241105000000"]
    assert parse_timemap('<https://a/1>; rel="memento"; datetime="Tue, 01 Oct 2024 10:00:00 GMT"') == [("20241001100000", "https://a/1")]


# expected values printed by Node.js 20: `v.toString(36)`
@pytest.mark.parametrize(("value", "expected"), [(5.9, "5.weeeeeeeeg"), (0.5, "0.i"), (1e21, "5v1j4f4ds7c000"), (123.456, "3f.gez4w97ry")])
def test_js_radix_matches_javascript(value: float, expected: str) -> None:
    assert js_radix(value, 36) == expected


@pytest.mark.parametrize(
    ("post_id", "token"),
    [
        ("1881345678901234567", "4k6f6lt21zs"),
        ("20", "6dq1a2xwd93"),
        ("1542568225527005184", "3qm4ctlw7t6"),
        ("727683874034081792", "1ri33vd13b"),
        ("1837216470366576813", "4gbsacpqvwe"),
    ],
)
def test_syndication_token_matches_the_embed_code(post_id: str, token: str) -> None:
    # expected values computed with Node.js: ((Number(id) / 1e15) * Math.PI).toString(36).replace(/(0+|\\.)/g, '')
    assert syndication_token(post_id) == token


def _finding() -> dict[str, object]:
    """What a check needs to look for works cited without a URL (posts among them): the verifier, and discovery."""
    from citecheck.config import DiscoverOptions

    return {"verification": Verification(processes=False), "discover": DiscoverOptions(backends=("x-archive",))}


def _doc(urls: list[str], dates: list[PartialDate | None] | None = None) -> Document:
    notes = []
    for i, url in enumerate(urls, 1):
        src = Source(id=f"{i}.1", note_id=str(i), text=url, url=url, issued=(dates or [None] * len(urls))[i - 1])
        notes.append(Note(id=str(i), text=url, place=Place("d.txt", i), sources=[src]))
    return Document(path="d.txt", format="text", notes=notes)


def test_posts_and_videos_through_their_embed_endpoints(fakes) -> None:
    api, endpoints = fakes
    urls = [
        "https://x.com/SimNasr/status/1837216470366576813",  # exists (oEmbed)
        "https://twitter.com/someone/status/1600000000000000000",  # oEmbed 404, syndication says it exists
        "https://mobile.twitter.com/gone/status/1700000000000000000",  # tombstone
        "https://www.youtube.com/watch?v=live123456",
        "https://youtu.be/private1234",
        "https://www.youtube.com/watch?v=weirdbody12",
        "https://www.youtube.com/shorts/removed12345",
    ]
    report = asyncio.run(check_document(_doc(urls), opts(), endpoints=endpoints, archive=None))
    by_url = {c.url: c for c in report.checks}
    post = by_url[urls[0]].resolution.post
    assert by_url[urls[0]].verdict is Verdict.OK
    assert (post.author_name, post.author_handle, post.date, post.language) == ("Wassim Nasr", "SimNasr", "2024-09-20", "fr")
    assert post.text.startswith("#Mali #JNIM #AQMI annonce un com")
    assert by_url[urls[1]].verdict is Verdict.OK and by_url[urls[1]].resolution.post.endpoint == "syndication"
    assert by_url[urls[2]].verdict is Verdict.MISSING and "tombstone" in by_url[urls[2]].reason
    assert by_url[urls[3]].verdict is Verdict.OK and by_url[urls[3]].resolution.post.author_name == "FRANCE 24"
    assert [by_url[u].verdict for u in urls[4:]] == [Verdict.MISSING] * 3
    tokens = [r.headers.get("x-token-ok") for r in api.requests if r.path.startswith("/tweet-result")]
    assert tokens and all(t == "True" for t in tokens)
    assert not any("x.com" in r.path or r.path.startswith("/SimNasr") for r in api.requests)  # x.com itself is never fetched


def test_missing_source_gets_its_archive_as_the_fix(fakes) -> None:
    api, endpoints = fakes
    gone = api.url("/news/removed")  # the live page is a 404 on the same fake host
    api.route("/cdx/search/cdx", lambda req: Response(200, json.dumps([["timestamp", "original"], ["20241030090000", gone]]).encode()))
    report = asyncio.run(check_document(_doc([gone], [PartialDate(2024, 10, 29)]), opts(), endpoints=endpoints, archive=ArchiveOptions(per_minute=6000)))
    check = report.checks[0]
    assert check.verdict is Verdict.MISSING
    assert check.reason.startswith("missing, archived 2024-10-30")
    assert check.fix == f"{endpoints.wayback_web}/20241030090000/{gone}"


@pytest.mark.parametrize(
    "wrapped",
    [
        'Gone Person on X: "The cited words of the deleted post, and the rest of it" / X',
        "Gone Person on Twitter: “The cited words of the deleted post, and the rest of it”",
    ],
)
def test_a_deleted_post_whose_archived_copy_is_in_the_platforms_title_wrapper_is_missing_with_its_archive(fakes, wrapped: str) -> None:
    api, endpoints = fakes
    gone = "https://x.com/gone/status/1700000000000000000"  # a tombstone at the syndication endpoint
    api.route("/cdx/search/cdx", lambda req: Response(200, json.dumps([["timestamp", "original"], ["20241030090000", gone]]).encode()))
    api.fallback = lambda req: page(wrapped) if req.path.startswith("/web/20241030090000") else page("Not Found", status=404)
    src = Source(
        id="1.1",
        note_id="1",
        text="…",
        url=gone,
        kind="post",
        platform="X",
        authors=["Gone Person"],
        issued=PartialDate(2024, 10, 29),
        title="The cited words of the deleted post …",
        title_truncated=True,
    )
    doc = Document(path="d.txt", format="text", notes=[Note(id="1", text="…", place=Place("d.txt", 1), sources=[src])])
    check = asyncio.run(
        check_document(doc, opts(), endpoints=endpoints, archive=ArchiveOptions(per_minute=6000), verification=Verification(processes=False))
    ).checks[0]
    assert check.verdict is Verdict.MISSING and check.verified_against == "the archived copy of 2024-10-30", check.reason
    assert check.fix == f"{endpoints.wayback_web}/20241030090000/{gone}"


def test_stages_after_the_resolving_are_announced_with_each_step(fakes) -> None:
    api, endpoints = fakes
    gone = [api.url(f"/news/removed{i}") for i in range(3)]  # 404s on the fake host: each is looked up in the archives
    live = api.url("/live/page")
    api.route("/live/page", page("Live"))
    api.route("/cdx/search/cdx", lambda req: Response(200, b"[]"))  # no capture: the live page is saved, the gone ones have none
    heard: list[tuple[str, int]] = []
    steps: list[str] = []

    def on_stage(label: str, total: int):
        heard.append((label, total))
        return lambda: steps.append(label)

    asyncio.run(
        check_document(_doc([*gone, live]), opts(), endpoints=endpoints, archive=ArchiveOptions(per_minute=6000), save_within_days=30, on_stage=on_stage)
    )
    assert heard == [("looking up archived copies", 3), ("saving to the Wayback Machine", 1)]
    assert steps == ["looking up archived copies"] * 3 + ["saving to the Wayback Machine"]


def test_robust_link_in_the_draft_is_checked_not_searched(fakes) -> None:
    api, endpoints = fakes
    gone = api.url("/news/removed2")
    doc = _doc([gone])
    doc.notes[0].sources[0].archive = ArchivePointer(f"{endpoints.wayback_web}/20241025120000/{gone}", "2024-10-25")
    report = asyncio.run(check_document(doc, opts(), endpoints=endpoints, archive=ArchiveOptions(per_minute=6000)))
    check = report.checks[0]
    assert check.archive is not None and check.archive.service == "draft" and check.archive.verified
    assert not any(r.path.startswith("/cdx/") for r in api.requests)


def test_post_cited_without_url_is_found_by_its_author_and_date(fakes) -> None:
    api, endpoints = fakes
    src = Source(
        id="5.1",
        note_id="5",
        text="…",
        kind="post",
        platform="X",
        authors=["Wassim Nasr"],
        issued=PartialDate(2024, 9, 20),
        title="#Mali #JNIM #AQMI annonce un com d’Abou Houzeifa al-Bamabari en Bambara /resume l’audio de Kouffa en …",
        title_truncated=True,
    )
    doc = Document(path="d.txt", format="text", notes=[Note(id="5", text="…", place=Place("d.txt", 5), sources=[src])], handles={"Wassim Nasr": "SimNasr"})
    report = asyncio.run(check_document(doc, opts(), endpoints=endpoints, archive=ArchiveOptions(per_minute=6000), **_finding()))
    check = report.checks[0]
    assert check.url == "https://x.com/SimNasr/status/1837216470366576813"
    assert check.verdict is Verdict.OK and check.fix == check.url
    assert "text match 1.00" in check.reason and check.found is not None and check.found.via == "x-archive"
    asked = [r.path for r in api.requests if r.path.startswith("/oembed")]
    assert not any("1830000000000000000" in p for p in asked)  # outside the date window: never fetched


def test_post_search_reports_what_it_tried_when_nothing_matches(fakes) -> None:
    api, endpoints = fakes
    src = Source(
        id="13.1",
        note_id="13",
        text="…",
        kind="post",
        platform="X",
        authors=["Wassim Nasr"],
        issued=PartialDate(2024, 9, 20),
        title="#Mali en vu de la guerre avec FAMa & Wagner …",
        title_truncated=True,
    )
    doc = Document(path="d.txt", format="text", notes=[Note(id="13", text="…", place=Place("d.txt", 13), sources=[src])], handles={"Wassim Nasr": "SimNasr"})
    check = asyncio.run(check_document(doc, opts(), endpoints=endpoints, archive=ArchiveOptions(per_minute=6000), **_finding())).checks[0]
    assert check.verdict is Verdict.UNLINKED
    assert any("2 posts from 2024-09-18 to 2024-09-22" in t for t in check.discovery_tried)
    assert "searched @SimNasr's archived posts: none matches" in check.reason


def test_save_page_now_only_for_live_sources_without_a_recent_capture(fakes) -> None:
    api, endpoints = fakes
    fresh, stale = api.url("/live/fresh"), api.url("/live/stale")
    api.route("/live/fresh", page("Fresh"))
    api.route("/live/stale", page("Stale"))

    def cdx(req: Request) -> Response:
        params = q(req)
        if "from" in params and "fresh" in params["url"]:
            return Response(200, json.dumps([["timestamp", "original"], ["20261120000000", fresh]]).encode())
        return Response(200, b"[]")

    api.route("/cdx/search/cdx", cdx)
    saved: list[str] = []

    def fallback(req: Request) -> Response:
        if req.path.startswith("/save/"):
            target = req.path[len("/save/") :]
            saved.append(target)
            return Response(302, b"", {"Location": f"{endpoints.wayback_web}/20261126101500/{target}"})
        return page("Not Found", status=404)

    api.fallback = fallback
    report = asyncio.run(check_document(_doc([fresh, stale]), opts(), endpoints=endpoints, archive=ArchiveOptions(per_minute=6000), save_within_days=30))
    by_url = {c.url: c for c in report.checks}
    assert saved == [stale]
    assert by_url[stale].archive.timestamp == "20261126101500" and "saved now" in by_url[stale].archive_tried[-1]
    assert by_url[fresh].archive.timestamp == "20261120000000" and "not saved again" in by_url[fresh].archive_tried[-1]


def test_archive_answers_are_kept_in_the_cache(fakes, tmp_path) -> None:
    from citecheck.fetch.cache import Cache

    api, endpoints = fakes

    async def go() -> None:
        cache = Cache(str(tmp_path / "c.db"), max_age=3600)
        for _ in range(2):
            async with Resolver(opts(), cache=cache) as r:
                await Archives(r, endpoints, ArchiveOptions(per_minute=6000)).find("https://www.hrw.example/cached", PartialDate(2024, 10, 29))

    asyncio.run(go())
    cdx = [r for r in api.requests if r.path.startswith("/cdx/")]
    assert len(cdx) == 1  # the second run read the CDX answer from the cache


def test_a_post_search_that_could_not_reach_the_archive_says_so_not_none_matches(fakes) -> None:
    from dataclasses import replace

    api, endpoints = fakes
    dead = replace(endpoints, wayback_cdx="http://127.0.0.20:9/cdx/search/cdx")  # nothing listens: connection refused
    src = Source(
        id="13.1",
        note_id="13",
        text="…",
        kind="post",
        platform="X",
        authors=["Wassim Nasr"],
        issued=PartialDate(2024, 9, 20),
        title="#Mali en vu de la guerre avec FAMa & Wagner …",
        title_truncated=True,
    )
    doc = Document(path="d.txt", format="text", notes=[Note(id="13", text="…", place=Place("d.txt", 13), sources=[src])], handles={"Wassim Nasr": "SimNasr"})
    check = asyncio.run(check_document(doc, opts(tries=1), endpoints=dead, archive=ArchiveOptions(per_minute=6000), **_finding())).checks[0]
    assert check.verdict is Verdict.UNLINKED
    assert "could not search @SimNasr's archived posts (the Wayback CDX API could not be read" in check.reason, check.reason
    assert "none matches" not in check.reason


def test_a_missing_source_whose_archives_could_not_be_reached_is_not_said_to_have_no_copy(fakes) -> None:
    from dataclasses import replace

    api, endpoints = fakes
    gone = api.url("/news/removed")  # a 404 on the fake host
    dead = replace(endpoints, wayback_cdx="http://127.0.0.20:9/cdx", wayback_availability="http://127.0.0.20:9/available", archive_today="http://127.0.0.20:9")
    check = asyncio.run(check_document(_doc([gone]), opts(tries=1), endpoints=dead, archive=ArchiveOptions(per_minute=6000))).checks[0]
    assert check.verdict is Verdict.MISSING
    assert "could not search the archives (Wayback CDX" in check.reason and "no archived copy found" not in check.reason, check.reason
    reachable = asyncio.run(check_document(_doc([gone]), opts(), endpoints=endpoints, archive=ArchiveOptions(per_minute=6000))).checks[0]
    assert reachable.reason.endswith("; no archived copy found"), reachable.reason  # the archives answered: none has it
