"""The command line: outputs, exit codes, and one-line errors for bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from citecheck.cli import main

from .conftest import FIXTURES

SEED = str(FIXTURES / "ctc-sentinel-nasr-interview.txt")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "citecheck.cli", *args], capture_output=True, text=True, timeout=120)


def test_parse_prints_a_listing(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", SEED]) == 0
    out = capsys.readouterr().out
    assert "17 notes, 18 citations" in out
    assert "12.1 ibid -> 9.1" in out


def test_output_file_is_written_and_nothing_else(tmp_path: Path) -> None:
    before = set(os.listdir(tmp_path))
    out = tmp_path / "citations.json"
    assert main(["parse", SEED, "--format", "csl-json", "--output", str(out)]) == 0
    assert set(os.listdir(tmp_path)) - before == {"citations.json"}
    assert json.loads(out.read_text("utf-8"))[0]["id"] == "note1-1"


def test_existing_output_is_replaced_atomically_keeping_its_mode(tmp_path: Path) -> None:
    out = tmp_path / "citations.json"
    out.write_text("old", "utf-8")
    out.chmod(0o600)
    assert main(["parse", SEED, "-f", "json", "-o", str(out)]) == 0
    assert out.stat().st_mode & 0o777 == 0o600
    assert json.loads(out.read_text("utf-8"))["notes"]


def _bad_inputs(tmp: Path) -> dict[str, tuple[Path, str]]:
    binary = tmp / "binary.txt"
    binary.write_bytes(b"Notes\n[1] abc\x00def")
    empty = tmp / "empty.txt"
    empty.write_bytes(b"")
    nonotes = tmp / "nonotes.txt"
    nonotes.write_text("An article without any notes at all.\n", "utf-8")
    corrupt = tmp / "corrupt.docx"
    corrupt.write_bytes(b"PK\x03\x04garbage")
    bomb = tmp / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"<" + b"a" * (70 * 1024 * 1024))
    badjson = tmp / "bad.json"
    badjson.write_text('[{"id": 1,', "utf-8")
    return {
        "missing": (tmp / "nope.txt", "no such file"),
        "directory": (tmp, "is a directory"),
        "binary": (binary, "binary data (NUL byte at offset 13)"),
        "empty": (empty, "file is empty"),
        "no notes": (nonotes, "no notes found"),
        "corrupt docx": (corrupt, "corrupt DOCX"),
        "zip bomb": (bomb, "zip bomb"),
        "bad json": (badjson, "invalid JSON"),
    }


@pytest.mark.parametrize("case", ["missing", "directory", "binary", "empty", "no notes", "corrupt docx", "zip bomb", "bad json"])
def test_bad_input_is_one_line_naming_the_file_exit_2(tmp_path: Path, case: str) -> None:
    path, message = _bad_inputs(tmp_path)[case]
    result = run("parse", str(path))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(path) in lines[0] and message in lines[0]
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_oversized_draft_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with open(big, "wb") as f:
        f.truncate(3 * 1024 * 1024)
    result = run("parse", str(big), "--max-input-size", "1M")
    assert result.returncode == 2
    assert "over the 1,048,576-byte limit" in result.stderr


def test_unwritable_output_is_an_error_and_leaves_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "missing-dir" / "out.json"
    result = run("parse", SEED, "-f", "json", "-o", str(target))
    assert result.returncode == 2
    assert "cannot write" in result.stderr
    assert not (tmp_path / "missing-dir").exists()


def test_usage_errors_exit_2() -> None:
    assert run("parse").returncode == 2
    assert run("parse", SEED, "--format", "nope").returncode == 2
    assert run("frobnicate").returncode == 2


def test_html_draft_that_looks_like_a_file_name_gives_no_library_warning(tmp_path: Path) -> None:
    tiny = tmp_path / "tiny.html"
    tiny.write_text("index.html", "utf-8")
    result = run("parse", str(tiny))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "no footnotes found" in result.stderr


def test_a_command_runs_with_rarer_full_collections_and_gives_the_callers_back(monkeypatch, capsys) -> None:
    import gc

    from citecheck import cli

    seen: list[tuple[int, int, int]] = []
    build = cli.build_parser
    monkeypatch.setattr(cli, "build_parser", lambda: (seen.append(gc.get_threshold()), build())[1])
    previous = gc.get_threshold()
    try:
        gc.set_threshold(123, 4, 5)
        assert main(["parse", SEED, "--format", "json"]) == 0
        assert seen == [cli.GC_THRESHOLDS] and gc.get_threshold() == (123, 4, 5)
    finally:
        gc.set_threshold(*previous)
    assert json.loads(capsys.readouterr().out)["notes"]


def test_the_command_never_loads_the_http_clients_own_command_line(tmp_path: Path) -> None:
    # httpx imports its command line (click, rich, pygments) when they are installed; the
    # `citecheck` command never runs it, and a check loads httpx without it
    draft = tmp_path / "draft.txt"
    draft.write_text("A claim.1\nNotes\n[1] “A report,” Example News, May 1, 2024.\n", "utf-8")
    probe = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('loaded:', 'httpx' in sys.modules, sys.modules.get('httpx._main', 'absent')))\n"
        "from citecheck.cli import run\n"
        f"sys.argv = ['citecheck', 'check', {str(draft)!r}, '--no-discover', '--no-archive', '--no-cache', '--format', 'json']\n"
        "run()\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout[: done.stdout.rindex("loaded:")])["summary"]["unlinked"] == 1
    assert done.stdout.rstrip().endswith("loaded: True None")
