"""A check running for the page: its events, kept so that a page opened late (or reloaded) hears them
all from the start, then each new one as it comes."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from ..model import CheckReport, Level, Resolution, SourceCheck, Verdict

# (the draft's path, hooks, the one work to check again or None for all) -> its report: the same
# engine and settings as `citecheck check`
OnCheck = Callable[[SourceCheck], None]
CheckRunner = Callable[[str, OnCheck, Callable[[int], None], Callable[[Resolution], None], str | None], Awaitable[CheckReport]]


def suggestion(check: SourceCheck) -> tuple[str, str] | None:
    """The fix the page offers for a check, for the editor to accept or reject: (what, URL)."""
    if check.found is not None and check.url and check.verdict is Verdict.OK:
        return "found", check.url
    if check.verdict is Verdict.MOVED and check.fix:
        return "moved", check.fix
    snap = check.archive
    if snap is not None and snap.service != "draft" and check.verdict is not Verdict.MISMATCHED and (snap.verified or snap.service == "archive.today"):
        return "archived copy", snap.url
    return None


def check_row(check: SourceCheck) -> dict[str, Any]:
    """What the page shows of a check: the same evidence as the HTML report."""
    offered = suggestion(check)
    return {
        "source": check.source_id,
        "notes": check.cited_in,
        "verdict": check.verdict.value,
        "reason": check.reason,
        "url": check.url,
        "found": None if check.found is None else {"via": check.found.via, "score": check.found.score, "evidence": check.found.evidence},
        "archive": None if check.archive is None else check.archive.url,
        "findings": [
            {"level": f.level.value, "check": f.check, "message": f.message} for f in check.findings if f.level is not Level.PASS or f.check == "quote"
        ],
        "passed": [f.message for f in check.findings if f.level is Level.PASS and f.check != "quote"],
        "offer": None if offered is None else {"kind": offered[0], "url": offered[1]},
    }


@dataclass
class Run:
    """One check of one draft: its events in order, and whether it has ended."""

    render_check: Callable[[dict[str, Any]], str] | None = None  # a check's row as the page shows it
    started: float = field(default_factory=time.monotonic)
    started_wall: float = field(default_factory=time.time)
    events: list[str] = field(default_factory=list)
    total: int | None = None
    done: int = 0
    finished: bool = False
    report: CheckReport | None = None
    changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    task: asyncio.Task[None] | None = None

    def emit(self, event: str, data: dict[str, Any]) -> None:
        self.events.append(f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n")
        asyncio.get_running_loop().create_task(self._wake())

    async def _wake(self) -> None:
        async with self.changed:
            self.changed.notify_all()

    def progress(self) -> dict[str, Any]:
        elapsed = time.monotonic() - self.started
        left = elapsed / self.done * (self.total - self.done) if self.total and self.done else None
        return {"done": self.done, "total": self.total, "seconds_left": None if left is None else round(left)}

    async def stream(self) -> AsyncIterator[str]:
        """Every event from the first, then each new one, until the run has ended."""
        sent = 0
        while True:
            async with self.changed:
                if sent == len(self.events) and not self.finished:
                    await self.changed.wait()
            while sent < len(self.events):
                yield self.events[sent]
                sent += 1
            if self.finished and sent == len(self.events):
                return


async def run_check(run: Run, path: str, runner: CheckRunner, on_report: Callable[[CheckReport], CheckReport], only: str | None = None) -> None:
    """Run a check (of every work, or `only` that one again), telling `run` each verdict as it is
    decided, then the report's end; `on_report` keeps the report and gives the draft's whole one."""

    def works(total: int) -> None:
        run.total = total
        run.emit("progress", run.progress())

    def resolved(_: Resolution) -> None:
        run.done += 1
        run.emit("progress", run.progress())

    def decided(check: SourceCheck) -> None:
        if only is not None and check.source_id != only:
            return
        row = check_row(check)
        if run.render_check is not None:
            row["html"] = run.render_check(row)
        run.emit("check", row)

    try:
        report = on_report(await runner(path, decided, works, resolved, only))
        run.report = report
        run.emit("done", {"summary": summary_line(report), "failed": bool(report.failed)})
    except Exception as exc:  # the page says what went wrong; the server goes on
        run.emit("failed", {"message": f"{type(exc).__name__}: {exc}"[:500]})
    finally:
        run.finished = True
        await run._wake()


def summary_line(report: CheckReport) -> str:
    counts: dict[str, int] = {}
    for check in report.checks:
        counts[check.verdict.value] = counts.get(check.verdict.value, 0) + 1
    return f"{len(report.checks)} sources: " + ", ".join(f"{n} {verdict}" for verdict, n in sorted(counts.items(), key=lambda kv: -kv[1]))
