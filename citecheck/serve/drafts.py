"""The drafts an editor gave the page, kept under the data folder: one folder a draft, named by a
random id, holding the file as uploaded, what is known of it (`meta.json`), its last check's report
(`report.pickle`: written and read only here, in the user's own folder), the reports rendered in
every format, and the editor's decisions on the fixes offered."""

from __future__ import annotations

import json
import pickle
import re
import secrets
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..files import write_atomic
from ..model import CheckReport

_ID_RE = re.compile(r"^[0-9a-f]{16}$")
# what an uploaded file may be called on disk: its name's letters, digits, dots, dashes and underscores
_UNSAFE_RE = re.compile(r"[^\w.-]+")
EXTENSIONS = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html", ".docx": "docx"}


@dataclass
class DraftMeta:
    id: str
    name: str  # the file's name as uploaded (or "pasted.txt")
    stored: str  # its name on disk, in its folder
    uploaded: float
    checked: float | None = None
    summary: str = ""  # the last check's summary line
    decisions: dict[str, str] = field(default_factory=dict)  # source id -> "accept" | "reject"


class DraftStore:
    """Drafts under `root` (the data folder's `drafts/`). Every path is built here from an id this
    store made and checks, never from a request's words."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def folder(self, draft_id: str) -> Path:
        if not _ID_RE.match(draft_id):
            raise KeyError(draft_id)
        folder = self.root / draft_id
        if not (folder / "meta.json").is_file():
            raise KeyError(draft_id)
        return folder

    def add(self, name: str, data: bytes) -> DraftMeta:
        draft_id = secrets.token_hex(8)
        folder = self.root / draft_id
        folder.mkdir()
        stored = _UNSAFE_RE.sub("_", Path(name).name).strip("._") or "draft.txt"
        write_atomic(str(folder / stored), data)
        meta = DraftMeta(draft_id, Path(name).name or stored, stored, time.time())
        self.save(meta)
        return meta

    def remove(self, meta: DraftMeta) -> None:
        shutil.rmtree(self.folder(meta.id))

    def meta(self, draft_id: str) -> DraftMeta:
        return DraftMeta(**json.loads((self.folder(draft_id) / "meta.json").read_text("utf-8")))

    def save(self, meta: DraftMeta) -> None:
        write_atomic(str(self.root / meta.id / "meta.json"), json.dumps(asdict(meta), ensure_ascii=False, indent=1))

    def path(self, meta: DraftMeta) -> Path:
        return self.folder(meta.id) / meta.stored

    def recent(self, limit: int = 50) -> list[DraftMeta]:
        metas = []
        for folder in self.root.iterdir():
            if _ID_RE.match(folder.name) and (folder / "meta.json").is_file():
                metas.append(self.meta(folder.name))
        return sorted(metas, key=lambda m: m.uploaded, reverse=True)[:limit]

    def keep_report(self, meta: DraftMeta, report: CheckReport, rendered: dict[str, str]) -> None:
        folder = self.folder(meta.id)
        write_atomic(str(folder / "report.pickle"), pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL))
        for name, text in rendered.items():
            write_atomic(str(folder / name), text)

    def report(self, meta: DraftMeta) -> CheckReport | None:
        path = self.folder(meta.id) / "report.pickle"
        if not path.is_file():
            return None
        report = pickle.loads(path.read_bytes())  # noqa: S301 -- written by this store, in the user's own data folder
        return report if isinstance(report, CheckReport) else None

    def rendered(self, meta: DraftMeta, name: str) -> str | None:
        path = self.folder(meta.id) / name
        return path.read_text("utf-8") if path.is_file() else None
