"""The README cannot drift from the tool: its two commands are the ones CI runs, its examples run
against the loopback copy of the bundled example's cited pages and print what it shows, its flags
exist and its links resolve."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from citecheck.outlets import OutletRegistry, host_of
from tests.seedweb import HOSTS, SeedWeb

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text("utf-8")
FENCE_RE = re.compile(r"^```(?P<lang>\w*)\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)


def fenced() -> list[tuple[str, str]]:
    return [(m["lang"], m["body"]) for m in FENCE_RE.finditer(README)]


def shown_output(command: str) -> list[str]:
    """The lines of the ```text block that follows the ```sh block holding `command` alone."""
    blocks = fenced()
    for (lang, body), (next_lang, output) in zip(blocks, blocks[1:]):
        if lang == "sh" and body.strip() == command and next_lang == "text":
            return [line.rstrip() for line in output.splitlines() if line.strip()]
    raise AssertionError(f"the README shows no output for {command!r}")


def in_order(wanted: list[str], got: list[str]) -> list[str]:
    """The wanted lines that are not found, each after the one before it, in `got`."""
    missing, at = [], 0
    for line in wanted:
        try:
            at = got.index(line, at) + 1
        except ValueError:
            missing.append(line)
    return missing


def run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "citecheck.cli", *args], capture_output=True, text=True, cwd=ROOT, timeout=300, **kwargs)  # type: ignore[call-overload, no-any-return]


def test_the_readme_opens_with_its_two_commands_and_ci_runs_the_second() -> None:
    lang, body = fenced()[0]
    install, tests = body.strip().splitlines()
    assert lang == "sh"
    assert install.startswith("python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/citecheck check ")
    assert (ROOT / install.rsplit(" ", 1)[1]).is_file()  # the bundled example it checks
    assert tests == ".venv/bin/python -m pytest -q"
    assert tests in (ROOT / ".ci" / "run").read_text("utf-8").splitlines()


def test_parse_prints_what_the_readme_shows() -> None:
    command = "citecheck parse fixtures/ctc-sentinel-nasr-interview.txt"
    result = run(command.split()[1:])
    assert result.returncode == 0, result.stderr
    assert in_order(shown_output(command), result.stdout.splitlines()) == []


def _real_sites(text: str, web: SeedWeb) -> str:
    """The report as it reads with the outlets' own addresses: the copies are served on loopback
    hosts, one per outlet, at the paths the real sites use."""
    registry = OutletRegistry.default()
    for outlet, ip in HOSTS.items():
        known = registry.lookup(outlet)
        if known is None or known.site is None:
            continue
        text = re.sub(rf"http://{re.escape(ip)}:\d+", known.site, text)
        text = re.sub(rf"\b{re.escape(ip)}(?::\d+)?", host_of(known.site), text)
    return text


def test_check_prints_what_the_readme_shows_when_the_cited_pages_answer(tmp_path: Path) -> None:
    command = "citecheck check fixtures/ctc-sentinel-nasr-interview.txt"
    with SeedWeb(tmp_path) as web:
        # the one note that links its source: that source's copy on the fake web, so no test asks the real site
        links = tmp_path / "linked.toml"
        links.write_text(f'"10" = "{web.note10}"\n', "utf-8")
        result = run(
            [*command.split()[1:], "--config", str(web.config), "--links", str(links), "--allow-private", "--no-cache"],
            env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "CITECHECK_DNS_CANARY": "localhost", "NO_COLOR": "1"},
        )
        report = _real_sites(result.stdout, web)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert in_order(shown_output(command), [line.rstrip() for line in report.splitlines()]) == []


def _help(subcommand: str) -> str:
    result = run([subcommand, "--help"], env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("subcommand", ["parse", "check", "serve", "fix", "audit"])
def test_every_flag_the_tour_gives_a_subcommand_exists(subcommand: str) -> None:
    heading = f"### `citecheck {subcommand}`"
    section = README[README.index(heading) :]
    section = section[: min(i for i in (section.find("\n### ", 1), section.find("\n## ", 1)) if i > 0)]
    flags = set(re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*|(?<![\w-])-[fo](?= )", section))
    assert flags, f"the README's tour of {subcommand} names no flag"
    help_text = _help(subcommand)
    assert sorted(flag for flag in flags if flag not in help_text) == []


def test_every_link_of_the_readme_resolves() -> None:
    targets = [t for t in re.findall(r"\]\(([^)#\s]+)(?:#[^)\s]*)?\)", README) if not t.startswith("http")]
    assert targets and sorted(t for t in targets if not (ROOT / t).exists()) == []
