"""The config file drives a check: [check] settings (flags win), [hosts] rules, [urls] scope, [[ignore]] with reasons."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from citecheck.config import load_config
from citecheck.errors import ConfigError
from citecheck.model import Verdict
from tests.loopback import Loopback, Request, Response, page


@pytest.fixture(scope="module")
def hosts():
    with Loopback("127.0.0.40", "127.0.0.41") as lb:
        a, b = lb.sites
        a.route("/paywalled", page("Subscribe to read", status=403))
        a.route("/live", page("Live"))
        a.route("/gone", page("Not Found", status=404))
        a.route("/to-b", Response(302, b"", {"Location": b.url("/echo")}))

        def echo(req: Request) -> Response:
            return page("Echo", req.headers.get("x-token", "none"))

        a.route("/echo", echo)
        b.route("/echo", echo)
        yield a, b


def run(tmp_path: Path, urls: list[str], config: str, *flags: str) -> tuple[int, dict, str]:
    (tmp_path / "citecheck.toml").write_text(config, "utf-8")
    body = " ".join(f"Claim {i}.{i}" for i in range(1, len(urls) + 1))
    notes = "\n".join(f"[{i}] “Title {i},” Outlet, May 1, 2024, {u}." for i, u in enumerate(urls, 1))
    draft = tmp_path / "draft.txt"
    draft.write_text(f"{body}\nNotes\n{notes}\n", "utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "citecheck.cli", "check", str(draft), "--allow-private", "--format", "json", *flags],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "CITECHECK_DNS_CANARY": "localhost", "HOME": str(tmp_path)},
    )
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout), result.stderr


BASE = '[check]\nmin_interval = 0\nverify = false\narchive = false\ncache = "{cache}"\n'


def test_check_settings_come_from_the_config_and_flags_win(tmp_path: Path, hosts) -> None:
    a, _ = hosts
    config = BASE.format(cache=tmp_path / "c.db") + 'fail_on = ["unreachable"]\n'
    code, report, _ = run(tmp_path, [a.url("/gone")], config)
    assert code == 0 and report["fail_on"] == ["unreachable"]  # missing no longer fails the run
    code, report, _ = run(tmp_path, [a.url("/gone")], config, "--fail-on", "missing")
    assert code == 1 and report["fail_on"] == ["missing"]
    assert (tmp_path / "c.db").is_file()  # the cache path came from the config


def test_host_rules_accept_statuses_and_scope_headers(tmp_path: Path, hosts) -> None:
    a, b = hosts
    host = "127.0.0.40"
    config = BASE.format(cache=tmp_path / "c.db") + f'[hosts."{host}"]\naccept = [403]\nheaders = {{ X-Token = "s3cret" }}\n'
    _, report, _ = run(tmp_path, [a.url("/paywalled"), a.url("/echo"), a.url("/to-b")], config, "--no-cache")
    verdicts = {c["source_id"]: (c["verdict"], c["resolution"]["page_title"]) for c in report["checks"]}
    assert verdicts["1.1"][0] == "ok" and "accepts" in report["checks"][0]["reason"]
    assert [h for h in a.requests if h.path == "/echo"][-1].headers.get("x-token") == "s3cret"
    assert all("x-token" not in r.headers for r in b.requests)  # never after a redirect to another host
    assert "s3cret" not in json.dumps(report)


def test_per_host_interval_from_the_config_spaces_requests(tmp_path: Path, hosts) -> None:
    a, _ = hosts
    config = BASE.format(cache=tmp_path / "c.db") + '[hosts."127.0.0.40"]\nmin_interval = 0.3\nper_host = 1\n'
    before = len(a.requests)
    run(tmp_path, [a.url(f"/live?{i}") for i in range(4)], config, "--no-cache")
    starts = sorted(r.started for r in a.requests[before:] if r.path.startswith("/live"))
    # the gate spaces the moments requests leave citecheck; the first one also opens the connection
    # (tens of milliseconds), so the server sees its successor a little sooner: measure from the second
    assert len(starts) == 4 and all(y - x >= 0.28 for x, y in zip(starts[1:], starts[2:])) and starts[-1] - starts[0] >= 0.8


def test_scope_and_ignores_are_reported_as_skipped_with_reasons(tmp_path: Path, hosts) -> None:
    a, _ = hosts
    config = BASE.format(cache=tmp_path / "c.db") + ('[urls]\nexclude = ["*/gone*"]\n\n[[ignore]]\nnote = "1"\nreason = "paywalled; checked by hand 2026-11"\n')
    code, report, _ = run(tmp_path, [a.url("/paywalled"), a.url("/gone"), a.url("/live")], config, "--no-cache")
    assert code == 0 and [c["source_id"] for c in report["checks"]] == ["3.1"]
    assert [(s["note_id"], s["reason"]) for s in report["skipped"]] == [
        ("1", "ignored by the config: paywalled; checked by hand 2026-11"),
        ("2", "excluded by the config's [urls] exclude"),
    ]


@pytest.mark.parametrize(
    "text, message",
    [
        ("[check]\nallow_private = true\n", "a command-line flag only"),
        ("[check]\nconcurrency = 0\n", "[check] concurrency: must be at least 1"),
        ("[check]\nhost_down_after = 2.5\n", "[check] host_down_after: must be a whole number, 0 or more"),
        ('[check]\nfail_on = ["dead"]\n', "unknown verdict 'dead'"),
        ('[hosts."a.example"]\naccept = [700]\n', "accept takes HTTP status codes"),
        ('[hosts."a.example"]\nheader = {}\n', "unknown key [hosts.'a.example'] 'header'"),
        ('[[ignore]]\nnote = "3"\n', "ignore 1 needs a reason"),
        ("[urls]\nexlude = []\n", "[urls] takes include and exclude"),
        ("[verify]\ntitle_treshold = 0.9\n", "unknown key [verify] 'title_treshold'"),
        ('[verify]\ntitle_pass = "high"\n', "title_pass must be a non-negative number"),
        ('[[outlet]]\nname = "X"\ndomain = ["x.org"]\n', "unknown key [[outlet]] 'domain'"),
    ],
)
def test_config_errors_are_one_line_naming_the_file(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "citecheck.toml").write_text(text, "utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(str(tmp_path / "d.md"))
    assert message in str(err.value) and str(tmp_path / "citecheck.toml") in str(err.value) and "\n" not in str(err.value)


def test_setting_precedence() -> None:
    config = load_config("/nonexistent/dir/d.md")
    assert config.setting("fail_on") == frozenset({Verdict.MISSING, Verdict.MISMATCHED})
    config.check["concurrency"] = 7
    assert config.setting("concurrency") == 7 and config.setting("concurrency", 3) == 3


def test_host_down_after_comes_from_the_config_and_the_flag_wins(tmp_path: Path) -> None:
    import argparse

    from citecheck.cli import build_parser
    from citecheck.cli.settings import fetch_options as _fetch_options

    (tmp_path / "citecheck.toml").write_text("[check]\nhost_down_after = 0\n", "utf-8")
    config = load_config(str(tmp_path / "d.md"))
    for flags, expected in (([], 0), (["--host-down-after", "9"], 9)):
        args: argparse.Namespace = build_parser().parse_args(["check", str(tmp_path / "d.md"), *flags])
        assert _fetch_options(args, config).host_down_after == expected
    assert _fetch_options(build_parser().parse_args(["check", "d.md"]), load_config("/nonexistent/dir/d.md")).host_down_after == 6


def test_every_table_has_command_line_flags(tmp_path: Path, hosts) -> None:
    a, _ = hosts
    config = BASE.format(cache=tmp_path / "c.db")
    code, report, _ = run(
        tmp_path,
        [a.url("/paywalled"), a.url("/gone"), a.url("/live"), a.url("/echo")],
        config,
        "--no-cache",
        "--accept",
        "127.0.0.40=403",
        "--exclude",
        "*/gone",
        "--ignore",
        "4=checked by hand",
        "--endpoint",
        "youtube_oembed=http://127.0.0.1:9/oembed",
        "--verify-set",
        "title_pass=0.95",
    )
    assert code == 0
    assert [(c["source_id"], c["verdict"]) for c in report["checks"]] == [("1.1", "ok"), ("3.1", "ok")]
    assert [s["reason"] for s in report["skipped"]] == ["excluded by the config's [urls] exclude", "ignored by the config: checked by hand"]


@pytest.mark.parametrize(
    "flags, message",
    [
        (["--ignore", "4"], "--ignore '4': expected KEY=VALUE"),
        (["--accept", "h=abc"], "statuses are numbers"),
        (["--endpoint", "nowhere=http://x"], "unknown key endpoints.nowhere"),
        (["--verify-set", "title_pass=high"], "--verify-set title_pass: must be a number"),
        (["--host-down-after", "-1"], "--host-down-after: must be a whole number, 0 or more"),
    ],
)
def test_bad_flag_values_are_usage_errors(tmp_path: Path, flags: list[str], message: str) -> None:
    draft = tmp_path / "d.txt"
    draft.write_text("Claim.1\nNotes\n[1] “T,” O, 2024, http://127.0.0.40/x.\n", "utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "citecheck.cli", "check", str(draft), *flags],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert result.returncode == 2 and message in result.stderr, result.stderr
