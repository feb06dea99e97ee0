"""Every check-report format on a fixed result set: golden files, schemas, parsers, escaping.

The result set is the seed article's notes with one hand-made verdict of each kind (no network,
no clock). Update the golden files after an intended change with

    CITECHECK_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_report_formats.py

and read the diff before committing it.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from citecheck import parse_file
from citecheck.model import Candidate, CheckReport, Finding, Hop, Level, PageEvidence, PostEvidence, Resolution, Skipped, Snapshot, SourceCheck, Verdict
from citecheck.report import CHECK_FORMATS
from citecheck.report.github import annotation_lines, publish
from citecheck.report.schema import SCHEMA_DIR, SCHEMAS, rendered
from citecheck.report.terminal import write_text

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden"
SEED = "fixtures/ctc-sentinel-nasr-interview.txt"
EXTENSIONS = {"text": "txt", "json": "json", "markdown": "md", "junit": "xml", "sarif": "sarif", "html": "html", "csl-json": "csl.json"}


def fixed_report() -> CheckReport:
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        doc = parse_file(SEED)
    finally:
        os.chdir(cwd)
    places = {n.id: n.place for n in doc.notes}
    hrw = "https://www.hrw.org/news/2024/10/29/burkina-faso-massacre-shows-need-protect-civilians"
    page = PageEvidence(
        "html",
        hrw,
        titles=[Candidate("Burkina Faso: Massacre Shows Need to Protect Civilians", "og:title")],
        published=Candidate("2024-10-29", "meta article:published_time"),
        site_name="Human Rights Watch",
        language="en",
    )

    def check(source_id: str, cited_in: list[str], url: str | None, verdict: Verdict, reason: str, **kw: object) -> SourceCheck:
        note = source_id.split(".")[0]
        return SourceCheck(source_id, note, cited_in, url, verdict, reason, place=places[note], **kw)  # type: ignore[arg-type]

    checks = [
        check(
            "1.1",
            ["1"],
            "https://www.youtube.com/watch?v=sahel202410",
            Verdict.OK,
            "YouTube's oEmbed knows the video",
            resolution=Resolution(
                "https://www.youtube.com/watch?v=sahel202410",
                Verdict.OK,
                "YouTube's oEmbed knows the video",
                post=PostEvidence("YouTube", "FRANCE 24", None, "Sahel : Al Qaïda, ONG, communautés peules… le point sur la situation"),
            ),
            verified_against="YouTube's embed endpoint",
            findings=[Finding("title", Level.PASS, "title matches", 1.0), Finding("outlet", Level.PASS, "posted by France24 on www.youtube.com", 1.0)],
        ),
        check(
            "2.1",
            ["2"],
            "https://www.rfi.fr/fr/afrique/20220218-mali",
            Verdict.MOVED,
            "moved permanently (301) to https://www.rfi.fr/fr/afrique/20220218-mali-40-civils",
            fix="https://www.rfi.fr/fr/afrique/20220218-mali-40-civils",
            resolution=Resolution(
                "https://www.rfi.fr/fr/afrique/20220218-mali",
                Verdict.MOVED,
                "moved",
                final_url="https://www.rfi.fr/fr/afrique/20220218-mali-40-civils",
                status=200,
                hops=[
                    Hop("https://www.rfi.fr/fr/afrique/20220218-mali", 301, "/fr/afrique/20220218-mali-40-civils"),
                    Hop("https://www.rfi.fr/fr/afrique/20220218-mali-40-civils", 200),
                ],
            ),
        ),
        check(
            "4.1",
            ["4"],
            "https://www.bbc.com/news/articles/c0mzpqj2pd9o",
            Verdict.MISSING,
            "missing, archived 2024-09-18: answered 404",
            fix="https://web.archive.org/web/20240918101010/https://www.bbc.com/news/articles/c0mzpqj2pd9o",
            archive=Snapshot(
                "https://web.archive.org/web/20240918101010/https://www.bbc.com/news/articles/c0mzpqj2pd9o",
                "20240918101010",
                "https://www.bbc.com/news/articles/c0mzpqj2pd9o",
                "wayback",
                verified=True,
            ),
        ),
        check(
            "6.1",
            ["6"],
            "https://www.bbc.com/news/world-africa-54719497",
            Verdict.OK,
            "answered 200",
            findings=[
                Finding("title", Level.PASS, "title matches", 1.0),
                Finding("date", Level.WARN, "date off by 2 days: the page says 2020-10-30", None, "2020-10-28", "2020-10-30", "meta"),
            ],
        ),
        check(
            "9.1",
            ["9", "11", "12"],
            hrw,
            Verdict.MISMATCHED,
            "the live page is not the cited work: quotation not found on the page; closest passage (0.81): “is not an excuse to spare them”",
            resolution=Resolution(hrw, Verdict.OK, "answered 200", final_url=hrw, status=200, page=page),
            verified_against="the live page",
            findings=[
                Finding(
                    "title",
                    Level.PASS,
                    "title matches",
                    1.0,
                    "Burkina Faso: Massacre Shows Need to Protect Civilians",
                    "Burkina Faso: Massacre Shows Need to Protect Civilians",
                    "og:title",
                ),
                Finding(
                    "quote",
                    Level.FAIL,
                    "quotation not found on the page; closest passage (0.81): “is not an excuse to spare them”",
                    0.81,
                    "this would not be an excuse to spare them. Anyone who … follows this regime … deserves to be held accountable.",
                    "is not an excuse to spare them",
                    "main text",
                ),
            ],
        ),
        check(
            "10.1",
            ["10"],
            "https://www.hrw.org/sites/default/files/media_2024/10/JNIM%20response%20to%20HRW.pdf",
            Verdict.UNREACHABLE,
            "timed out after 3 tries (30 s each)",
        ),
        check("13.1", ["13"], None, Verdict.UNLINKED, "the note gives no URL (supply one with --links)"),
        check("14.1", ["14"], "javascript:alert(1)", Verdict.UNREACHABLE, "refused: only http and https are fetched (<script>alert(1)</script>)"),
    ]
    skipped = [Skipped("16.1", "16", "https://ctc.westpoint.edu/journey-to-damascus/", "ignored by the config: paywalled, checked by hand")]
    return CheckReport(
        document=doc, checks=checks, started_at="2026-11-26T09:00:00+00:00", finished_at="2026-11-26T09:00:07+00:00", requests=42, skipped=skipped
    )


@pytest.fixture
def report(monkeypatch: pytest.MonkeyPatch) -> CheckReport:
    monkeypatch.chdir(ROOT)  # SARIF paths are relative to the working directory, as in CI
    return fixed_report()


@pytest.mark.parametrize("fmt", sorted(CHECK_FORMATS))
def test_golden(fmt: str, report: CheckReport) -> None:
    out = CHECK_FORMATS[fmt](report)
    path = GOLDEN / f"check.{EXTENSIONS[fmt]}"
    if os.environ.get("CITECHECK_UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(out, "utf-8")
    assert out == path.read_text("utf-8"), f"{fmt} differs from {path}; if intended, update with CITECHECK_UPDATE_GOLDEN=1"


def test_every_format_has_a_golden_file() -> None:
    assert set(EXTENSIONS) == set(CHECK_FORMATS)


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_committed_schemas_match_the_model(name: str) -> None:
    assert (SCHEMA_DIR / name).read_text("utf-8") == rendered(name), "run: python -m citecheck.report.schema"


def test_json_report_validates_against_its_schema(report: CheckReport) -> None:
    schema = json.loads((SCHEMA_DIR / "check-1.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    data = json.loads(CHECK_FORMATS["json"](report))
    jsonschema.Draft202012Validator(schema).validate(data)
    data["checks"][0]["verdict"] = "dead"  # and the schema does reject what it should
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(data)


def test_parse_json_validates_against_its_schema() -> None:
    from citecheck.report import PARSE_FORMATS

    schema = json.loads((SCHEMA_DIR / "parse-1.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(schema).validate(json.loads(PARSE_FORMATS["json"](parse_file(str(ROOT / SEED)))))


def test_sarif_validates_against_the_sarif_2_1_0_schema(report: CheckReport) -> None:
    schema = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0-rtm.5.json").read_text("utf-8"))
    log = json.loads(CHECK_FORMATS["sarif"](report))
    jsonschema.Draft4Validator(schema).validate(log)
    results = log["runs"][0]["results"]
    by_note = {r["message"]["text"].split(":")[0]: r for r in results}
    hrw = by_note["notes 9, 11, 12"]
    assert hrw["level"] == "error" and hrw["ruleId"] == "source-mismatched"
    assert hrw["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": SEED, "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": report.checks[4].place.line, "startColumn": report.checks[4].place.column},
    }
    assert by_note["note 10"]["level"] == "warning" and by_note["note 13"]["level"] == "note"
    assert "note 1" not in by_note  # ok without warnings is not a result


def test_junit_parses_back_with_a_case_per_source(report: CheckReport) -> None:
    root = ET.fromstring(CHECK_FORMATS["junit"](report))
    suite = root.find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    assert len(cases) == len(report.checks) + len(report.skipped) == int(suite.get("tests", "0"))
    failed = [c for c in cases if c.find("failure") is not None]
    assert [c.get("name", "").split(":")[0] for c in failed] == ["note 4", "notes 9, 11, 12"] and suite.get("failures") == "2"
    assert [c.get("name", "").split(":")[0] for c in cases if c.find("skipped") is not None] == ["note 13", "note 16"]


def test_html_escapes_the_draft_and_links_only_http(report: CheckReport) -> None:
    page = CHECK_FORMATS["html"](report)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="javascript:' not in page and "javascript:alert(1)" in page
    assert page.count("<tr data-verdict=") == len(report.checks)
    assert "http" not in page.split("<style>")[0].split("<title>")[0]  # no external resources in the head


def test_markdown_marks_failing_verdicts_and_escapes_pipes(report: CheckReport) -> None:
    report.checks[0].reason = "a | pipe"
    md = CHECK_FORMATS["markdown"](report)
    assert md.startswith("### ❌ citecheck")
    assert "| **mismatched** |" in md and "| unreachable |" in md and "ok, with warnings" in md


def test_github_annotations_point_at_the_notes(report: CheckReport, tmp_path: Path) -> None:
    lines = annotation_lines(report)
    hrw = next(line for line in lines if "notes 9%2C 11%2C 12" in line)
    place = report.checks[4].place
    assert hrw.startswith(f"::error file={SEED},line={place.line},col={place.column},title=citecheck%3A notes 9%2C 11%2C 12 mismatched::")
    assert any(line.startswith("::warning ") and "date off by 2 days" in line for line in lines)
    assert any(line.startswith("::notice ") for line in lines)
    summary = tmp_path / "summary.md"
    stream = io.StringIO()
    publish(report, {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}, stream)
    assert stream.getvalue().count("\n") == len(lines) and summary.read_text("utf-8").startswith("### ❌ citecheck")
    stream = io.StringIO()
    publish(report, {}, stream)  # outside GitHub Actions: nothing
    assert stream.getvalue() == ""


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal_without_no_color(report: CheckReport) -> None:
    text = CHECK_FORMATS["text"](report)
    for stream, env, coloured in ((FakeTTY(), {}, True), (FakeTTY(), {"NO_COLOR": "1"}, False), (io.StringIO(), {}, False)):
        write_text(text, stream, env)
        assert ("\x1b[" in stream.getvalue()) is coloured
        assert stream.getvalue().replace("\x1b[0m", "").count("[mismatched]") == 1


def test_the_progress_bar_shows_each_stage_and_its_steps_on_a_terminal_only() -> None:
    from citecheck.report.terminal import ProgressBar

    stream = FakeTTY()
    with ProgressBar(None, stream, {}) as bar:
        bar.set_total(2)
        bar.advance(None)  # type: ignore[arg-type]
        step = bar.stage("looking up archived copies", 40)
        step()
        step()
        task = bar._progress.tasks[0]  # type: ignore[union-attr]
        assert (task.description, task.completed, task.total) == ("looking up archived copies", 2, 40)
        bar._progress.refresh()  # type: ignore[union-attr]
    assert "looking up archived copies" in stream.getvalue() and "2/40" in stream.getvalue()
    quiet = io.StringIO()  # not a terminal (a pipe, a CI log): nothing is drawn, and steps cost nothing
    with ProgressBar(None, quiet, {}) as bar:
        bar.stage("looking up archived copies", 40)()
    assert quiet.getvalue() == ""


def test_a_long_json_report_is_streamed_and_equals_the_whole_encoding(tmp_path) -> None:
    """Past INDENT_UP_TO notes the JSON report is written a piece at a time: the pieces are many,
    none holds the report, and together they are exactly orjson's compact encoding of the whole."""
    import orjson

    from citecheck import parse_file
    from citecheck.model import SourceCheck, Verdict, to_jsonable
    from citecheck.report import check_pieces
    from citecheck.report.data import INDENT_UP_TO

    n = INDENT_UP_TO * 4
    draft = tmp_path / "long.txt"
    draft.write_text(
        "Body.1\nNotes\n" + "\n".join(f"[{i}] Ann Lee, “Report {i},” Site, May 1, 2024, https://example.org/r{i}." for i in range(1, n + 1)) + "\n",
        encoding="utf-8",
    )
    doc = parse_file(str(draft))
    checks = [SourceCheck(s.id, s.note_id, [s.note_id], s.url, Verdict.OK, "answered 200") for s in doc.sources]
    long_report = CheckReport(document=doc, checks=checks, started_at="2026-01-01T00:00:00+00:00", finished_at="2026-01-01T00:01:00+00:00")
    pieces = list(check_pieces("json", long_report))
    whole = "".join(pieces)
    assert len(pieces) > 10 and max(map(len, pieces)) < len(whole) / 5
    data = json.loads(whole)
    assert len(data["checks"]) == n and len(data["notes"]) == n
    assert data["notes"] == to_jsonable(doc.notes) and data["checks"] == to_jsonable(checks)
    assert whole == orjson.dumps(data).decode() + "\n"


@pytest.mark.parametrize("notes", [1, 501], ids=["indented", "streamed"])
def test_json_reports_leave_out_page_bodies_and_extracted_text(tmp_path, notes: int) -> None:
    from citecheck import parse_file
    from citecheck.model import PageEvidence, Resolution, SourceCheck, Verdict
    from citecheck.report import check_pieces
    from citecheck.report.data import INDENT_UP_TO

    assert (notes > INDENT_UP_TO) == (notes == 501)  # one report of each kind
    draft = tmp_path / "draft.txt"
    draft.write_text(
        "Body.1\nNotes\n" + "\n".join(f"[{i}] Ann Lee, “Report {i},” Site, May 1, 2024, https://example.org/r{i}." for i in range(1, notes + 1)) + "\n",
        encoding="utf-8",
    )
    doc = parse_file(str(draft))
    page = PageEvidence(kind="html", url="https://example.org/r1", text="the whole extracted text of the page")
    checks = [
        SourceCheck(
            s.id,
            s.note_id,
            [s.note_id],
            s.url,
            Verdict.OK,
            "answered 200",
            resolution=Resolution(s.url, Verdict.OK, "answered 200", body=b"<html>the body</html>", page=page),
        )
        for s in doc.sources
    ]
    whole = "".join(check_pieces("json", CheckReport(document=doc, checks=checks)))
    data = json.loads(whole)
    assert data["checks"][0]["resolution"]["page"]["kind"] == "html"  # the page's evidence is reported...
    assert "the whole extracted text" not in whole and "the body" not in whole  # ...without its text or body


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "junit", "sarif", "json"])
def test_every_format_names_each_listed_sources_url_and_place(fmt: str, report: CheckReport) -> None:
    from citecheck.report.common import listed

    out = CHECK_FORMATS[fmt](report)
    for check in listed(report):
        if check.url:
            shown = check.url if fmt not in ("html", "junit", "sarif") else check.url.replace("&", "&amp;") if fmt != "sarif" else check.url
            assert shown in out or json.dumps(check.url)[1:-1] in out, f"{fmt} omits {check.url}"
    if fmt in ("text", "markdown"):
        for check in listed(report):
            if check.place and check.place.line:
                assert f"{check.place.file}:{check.place.line}" in out, f"{fmt} omits the place of note {check.cited_in}"


def test_github_annotations_name_the_url() -> None:
    from citecheck.report.github import annotation_lines

    lines = annotation_lines(fixed_report())
    assert any("https://www.bbc.com/news/articles/c0mzpqj2pd9o" in line for line in lines)
