"""The config file: found upward from the draft, endpoints read, unknown keys refused by name."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from citecheck.config import load_config
from citecheck.endpoints import Endpoints
from citecheck.errors import ConfigError


def test_no_config_gives_the_real_services(tmp_path: Path) -> None:
    draft = tmp_path / "a.md"
    draft.write_text("x", "utf-8")
    config = load_config(str(draft))
    assert config.path is None and config.endpoints == Endpoints()


def test_citecheck_toml_found_upward_from_the_draft(tmp_path: Path) -> None:
    (tmp_path / "citecheck.toml").write_text('[endpoints]\nwayback_cdx = "http://127.0.0.1:9/cdx/"\n', "utf-8")
    draft = tmp_path / "articles" / "2024" / "a.md"
    draft.parent.mkdir(parents=True)
    draft.write_text("x", "utf-8")
    config = load_config(str(draft))
    assert config.path == str(tmp_path / "citecheck.toml")
    assert config.endpoints.wayback_cdx == "http://127.0.0.1:9/cdx"  # trailing slash dropped
    assert config.endpoints.x_oembed == Endpoints().x_oembed


def test_tool_table_in_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "news"\n[tool.citecheck.endpoints]\nyoutube_oembed = "https://mirror.example/oembed"\n', "utf-8"
    )
    assert load_config(str(tmp_path / "a.md")).endpoints.youtube_oembed == "https://mirror.example/oembed"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[endpoints]\nwayback_cxd = "https://x"\n', "unknown key endpoints.wayback_cxd"),
        ('[endpoint]\nwayback_cdx = "https://x"\n', "unknown key 'endpoint'"),
        ('[endpoints]\nwayback_cdx = "ftp://x"\n', "must be an http(s) URL"),
        ("[endpoints\n", "invalid TOML"),
    ],
)
def test_mistakes_name_the_key_and_the_file(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "citecheck.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(ConfigError, match=re.escape(message)) as err:
        load_config(str(tmp_path / "a.md"))
    assert str(path) in str(err.value)


def test_cli_reports_a_config_error_in_one_line_exit_2(tmp_path: Path) -> None:
    (tmp_path / "citecheck.toml").write_text('[endpoints]\nbogus = "https://x"\n', "utf-8")
    draft = tmp_path / "d.txt"
    draft.write_text("A claim.1\nNotes\n[1] “T,” BBC, May 1, 2020.\n", "utf-8")
    result = subprocess.run([sys.executable, "-m", "citecheck.cli", "check", str(draft), "--no-cache"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "unknown key endpoints.bogus" in result.stderr


def test_author_handle_table(tmp_path: Path) -> None:
    (tmp_path / "citecheck.toml").write_text('[handles]\n"Wassim Nasr" = "@SimNasr"\n"Jane Roe" = "janeroe"\n', "utf-8")
    assert load_config(str(tmp_path / "a.md")).handles == {"Wassim Nasr": "SimNasr", "Jane Roe": "janeroe"}
    (tmp_path / "citecheck.toml").write_text('[handles]\n"Wassim Nasr" = "not a handle!"\n', "utf-8")
    with pytest.raises(ConfigError, match="handles must map"):
        load_config(str(tmp_path / "a.md"))
