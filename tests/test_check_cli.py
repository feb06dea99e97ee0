"""`citecheck check` end to end against loopback servers: verdicts, links file, JSON, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .loopback import Loopback, Response, page


def check(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "citecheck.cli", "check", "--allow-private", "--no-cache", "--no-archive", "--min-interval", "0", "--no-verify", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "CITECHECK_DNS_CANARY": "localhost"},
    )


@pytest.fixture(scope="module")
def site():
    with Loopback("127.0.0.10") as lb:
        lb[0].route("/live", page("Live article"))
        lb[0].route("/dead", page("Not Found", status=404))
        lb[0].route("/flaky", page("Busy", status=503))
        yield lb[0]


def draft(tmp: Path, urls: list[str], extra_notes: list[str] = ()) -> Path:
    body = " ".join(f"Claim number {i}.{i}" for i in range(1, len(urls) + len(extra_notes) + 1))
    notes = [f"[{i}] “Title {i},” Outlet, May 1, 2024, {u}." for i, u in enumerate(urls, 1)]
    notes += [f"[{len(urls) + i}] {n}" for i, n in enumerate(extra_notes, 1)]
    path = tmp / "draft.txt"
    path.write_text(body + "\nNotes\n" + "\n".join(notes) + "\n", "utf-8")
    return path


def test_all_live_exits_0(tmp_path: Path, site) -> None:
    result = check(str(draft(tmp_path, [site.url("/live")])))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 ok" in result.stdout


def test_missing_source_exits_1_and_json_holds_the_evidence(tmp_path: Path, site) -> None:
    out = tmp_path / "report.json"
    result = check(str(draft(tmp_path, [site.url("/live"), site.url("/dead")])), "--format", "json", "--output", str(out))
    assert result.returncode == 1
    report = json.loads(out.read_text("utf-8"))
    assert report["summary"]["ok"] == 1 and report["summary"]["missing"] == 1
    dead = next(c for c in report["checks"] if c["verdict"] == "missing")
    assert dead["resolution"]["status"] == 404 and dead["resolution"]["hops"][0]["status"] == 404
    assert "body" not in dead["resolution"]


def test_unreachable_only_warns_unless_asked(tmp_path: Path, site) -> None:
    path = draft(tmp_path, [site.url("/flaky")])
    assert check(str(path), "--tries", "1").returncode == 0
    assert check(str(path), "--tries", "1", "--fail-on", "missing,unreachable").returncode == 1


def test_links_file_supplies_urls_for_unlinked_notes(tmp_path: Path, site) -> None:
    path = draft(tmp_path, [], ["“A report without a link,” Outlet, May 2, 2024."])
    assert "1 unlinked" in check(str(path)).stdout
    links = tmp_path / "links.toml"
    links.write_text(f'[links]\n"1" = "{site.url("/dead")}"\n', "utf-8")
    result = check(str(path), "--links", str(links))
    assert result.returncode == 1 and "1 missing" in result.stdout
    csv = tmp_path / "links.csv"
    csv.write_text(f"note,url\n1,{site.url('/live')}\n", "utf-8")
    assert check(str(path), "--links", str(csv)).returncode == 0


def test_bad_fail_on_is_a_usage_error(tmp_path: Path, site) -> None:
    result = check(str(draft(tmp_path, [site.url("/live")])), "--fail-on", "dead")
    assert result.returncode == 2 and "unknown verdict 'dead'" in result.stderr


def test_default_cache_lives_in_the_user_cache_folder_not_the_working_tree(tmp_path: Path, site) -> None:
    work, cache_home = tmp_path / "work", tmp_path / "cache"
    work.mkdir()
    path = draft(work, [site.url("/live")])
    before = sorted(p.name for p in work.iterdir())
    result = subprocess.run(
        [sys.executable, "-m", "citecheck.cli", "check", str(path), "--allow-private", "--no-archive", "--min-interval", "0", "--no-verify"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=work,
        env={"PATH": "/usr/bin:/bin", "CITECHECK_DNS_CANARY": "localhost", "XDG_CACHE_HOME": str(cache_home), "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in work.iterdir()) == before
    assert (cache_home / "citecheck" / "cache.db").is_file()


def test_several_outputs_in_one_run_and_text_still_on_stdout(tmp_path: Path, site) -> None:
    path = draft(tmp_path, [site.url("/live"), site.url("/gone")])
    result = check(str(path), "-o", f"json={tmp_path / 'r.json'}", "-o", f"sarif={tmp_path / 'r.sarif'}", "-o", f"junit={tmp_path / 'r.xml'}")
    assert result.returncode == 1
    assert json.loads((tmp_path / "r.json").read_text("utf-8"))["summary"]["missing"] == 1
    assert json.loads((tmp_path / "r.sarif").read_text("utf-8"))["runs"][0]["results"][0]["ruleId"] == "source-missing"
    assert (tmp_path / "r.xml").read_text("utf-8").startswith("<?xml")
    assert result.stdout.startswith(str(path))  # the text report, as without --output


def test_a_bare_output_path_takes_stdouts_place(tmp_path: Path, site) -> None:
    path = draft(tmp_path, [site.url("/live")])
    result = check(str(path), "--format", "markdown", "-o", str(tmp_path / "r.md"), "-o", f"html={tmp_path / 'r.html'}")
    assert result.returncode == 0 and result.stdout == ""
    assert (tmp_path / "r.md").read_text("utf-8").startswith("### ✅ citecheck")
    assert "<table>" in (tmp_path / "r.html").read_text("utf-8")


def test_the_same_output_file_twice_is_a_usage_error(tmp_path: Path, site) -> None:
    path = draft(tmp_path, [site.url("/live")])
    result = check(str(path), "-o", f"json={tmp_path / 'r'}", "-o", f"sarif={tmp_path / 'r'}")
    assert result.returncode == 2 and "named twice" in result.stderr


def test_github_actions_annotations_and_summary(tmp_path: Path, site) -> None:
    path = draft(tmp_path, [site.url("/gone")])
    summary = tmp_path / "summary.md"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "citecheck.cli",
            "check",
            str(path),
            "--allow-private",
            "--no-cache",
            "--no-archive",
            "--min-interval",
            "0",
            "--no-verify",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "CITECHECK_DNS_CANARY": "localhost", "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)},
    )
    assert result.returncode == 1
    json.loads(result.stdout)  # annotations never corrupt the report on stdout
    assert any(line.startswith(f"::error file={path},line=3") for line in result.stderr.splitlines())
    assert "**missing**" in summary.read_text("utf-8")


def _workers_of(folder: Path) -> list[int]:
    """Worker processes (and their process server) started by a citecheck run in `folder`: their
    command line carries the run's sys.path, whose first entry is its working folder."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if "forkserver" in cmdline and str(folder) in cmdline:
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="finds processes through /proc")
def test_a_check_killed_outright_leaves_no_worker_processes_behind(tmp_path: Path) -> None:
    import signal
    import time

    from citecheck.pipeline.workers import PROCESS_POOL_FROM, WORKER_WATCH

    with Loopback("127.0.0.44") as lb:
        urls = []
        for i in range(PROCESS_POOL_FROM + 5):  # enough pages for the page reader's process pool
            lb[0].route(f"/r{i}", page(f"Report {i}"))
            urls.append(lb[0].url(f"/r{i}"))
        lb[0].route("/r0", Response(200, b"<title>Report 0</title>", {"Content-Type": "text/html"}, delay=30))  # the check is still running when killed
        path = draft(tmp_path, urls)
        proc = subprocess.Popen(
            [sys.executable, "-m", "citecheck.cli", "check", str(path), "--allow-private", "--no-cache", "--no-archive"],
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(_workers_of(tmp_path)) < 2:
            time.sleep(0.1)
        assert _workers_of(tmp_path), "the page reader's workers never started"
        proc.send_signal(signal.SIGKILL)  # no chance to shut its pool down
        proc.wait()
        deadline = time.monotonic() + WORKER_WATCH * 10
        while time.monotonic() < deadline and _workers_of(tmp_path):
            time.sleep(0.1)
        assert _workers_of(tmp_path) == []


def test_the_command_line_is_read_before_the_stages_are_loaded(tmp_path: Path) -> None:
    # what lets a check start its process server first: parsing the arguments and the config
    # loads neither the HTTP client, the event loop nor the verifier
    probe = (
        "import sys, citecheck.cli as cli; args = cli.build_parser().parse_args(['check', 'draft.md', '--verify-set', 'title_pass=0.9']); "
        "from citecheck import read_draft; from citecheck.config import load_config; import citecheck.pipeline.workers; "  # what a check reads first
        "from citecheck.cli.settings import with_flags; with_flags(load_config(args.file, args.config), args); "
        "print(sorted(m for m in ('httpx', 'asyncio', 'citecheck.fetch.resolver', 'citecheck.verify.rules', 'rapidfuzz') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=tmp_path).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("flags, started", [([], [True]), (["--no-verify"], []), (["--processes", "no"], [])])
def test_a_check_that_will_read_pages_in_processes_starts_their_server_before_anything_else(tmp_path: Path, monkeypatch, flags, started) -> None:
    import citecheck.pipeline.pages
    import citecheck.pipeline.workers
    from citecheck.pipeline.workers import PROCESS_POOL_FROM

    calls: list[bool] = []

    def record(*, page_reading: bool) -> None:
        calls.append(page_reading)
        raise KeyboardInterrupt  # the check itself is not this test's business

    monkeypatch.setattr(citecheck.pipeline.workers, "start_process_server", record)
    monkeypatch.setattr(citecheck.pipeline.pages, "start_process_server", record)
    path = draft(tmp_path, [], [f"“Title {i},” Outlet, May 1, 2024." for i in range(PROCESS_POOL_FROM + 5)])  # no URLs: nothing to fetch
    from citecheck.cli import main

    main(["check", str(path), "--no-cache", "--no-archive", "--allow-private", *flags])
    assert calls == started
