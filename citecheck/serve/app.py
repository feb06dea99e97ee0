"""The editors' page: `citecheck serve`. A Starlette application, server-rendered, whose one script
(static/app.js, shipped in the package) streams verdicts in as they are decided.

Safety: bound to loopback unless told otherwise, and then every request must carry the token
printed at start; uploads are limited in size and type and written only under the data folder;
no request names a file path or a URL to fetch (the check fetches what the draft cites, with the
same address rules as `citecheck check`); every form carries the page's CSRF token; every error is
a page that says what went wrong.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable, Iterable, MutableMapping
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from .. import read_draft
from ..errors import CitecheckError
from ..fix import FIXABLE, fixed_bytes
from ..model import CheckReport, Document
from ..parse.notes import build_document
from ..pipeline.works import found_links
from ..report import CHECK_FORMATS
from . import pages
from .drafts import EXTENSIONS, DraftMeta, DraftStore
from .runs import CheckRunner, Run, check_row, run_check, summary_line

# the rendered reports kept beside a checked draft: download name -> format
RENDERED = {
    "report.html": "html",
    "report.md": "markdown",
    "report.json": "json",
    "report.sarif": "sarif",
    "report.csl.json": "csl-json",
    "report.xml": "junit",
    "report.txt": "text",
}
MEDIA = {
    ".html": "text/html; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".json": "application/json",
    ".sarif": "application/sarif+json",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".toml": "application/toml",
}


@dataclass
class ServeSettings:
    data_dir: Path
    runner: CheckRunner
    settings_shown: Callable[[], tuple[Iterable[tuple[str, str]], Iterable[tuple[str, str]]]]
    token: str | None = None  # required on every request when set (the page listens beyond loopback)
    max_upload: int = 50 * 1024 * 1024
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))


class TokenGuard:
    """Every request carries the token, as `?token=` or in the cookie its first use sets."""

    def __init__(self, app: ASGIApp, token: str | None) -> None:
        self.app, self.token = app, token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.token is None or scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        given = request.query_params.get("token") or request.cookies.get("citecheck_token")
        if given is None or not secrets.compare_digest(given, self.token):
            await HTMLResponse(
                pages.page(
                    "Token needed", pages.error("This page needs the token citecheck printed when it started: add ?token=… to the address."), token=None
                ),
                status_code=403,
            )(scope, receive, send)
            return

        async def send_with_cookie(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start" and request.query_params.get("token"):
                cookie = f"citecheck_token={self.token}; HttpOnly; SameSite=Strict; Path=/"
                message.setdefault("headers", []).append((b"set-cookie", cookie.encode()))
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def create_app(settings: ServeSettings) -> Starlette:
    store = DraftStore(settings.data_dir / "drafts")
    runs: dict[str, Run] = {}
    token = settings.token

    def html(title: str, body: str, status: int = 200) -> HTMLResponse:
        return HTMLResponse(pages.page(title, body, token=token), status_code=status)

    def problem(message: str, status: int = 400) -> HTMLResponse:
        return html("Error", pages.error(message), status)

    def here(path: str) -> str:
        return path + pages.token_query(token)

    async def form_of(request: Request) -> Any:
        """The form, once its CSRF token and origin are the page's own (else None)."""
        origin = request.headers.get("origin")
        if origin and urlsplit(origin).netloc != request.headers.get("host"):
            return None
        form = await request.form(max_part_size=settings.max_upload)
        given = str(form.get("csrf") or request.headers.get("x-csrf-token") or "")
        return form if secrets.compare_digest(given, settings.csrf) else None

    def meta_or_none(draft_id: str) -> DraftMeta | None:
        try:
            return store.meta(draft_id)
        except (KeyError, ValueError, OSError):
            return None

    async def posted_to_draft(request: Request) -> tuple[DraftMeta, Any] | Response:
        """The draft a form was posted to, and the form; else the page that says why not."""
        meta = meta_or_none(request.path_params["draft"])
        if meta is None:
            return problem("No such draft here.", 404)
        form = await form_of(request)
        if form is None:
            return problem("This form has expired or came from another site: reload the page and try again.", 403)
        return meta, form

    def parsed(meta: DraftMeta) -> Document:
        return build_document(read_draft(str(store.path(meta))))

    async def index(request: Request) -> Response:
        return html("Drafts", pages.index(store.recent(), csrf=settings.csrf, token=token, max_mb=settings.max_upload // (1024 * 1024)))

    async def upload(request: Request) -> Response:
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > settings.max_upload + 64 * 1024:
            return problem(f"That draft is larger than the {settings.max_upload // (1024 * 1024)} MB limit.", 413)
        try:
            form = await form_of(request)
        except Exception as exc:  # a malformed or oversized multipart body
            return problem(f"The upload could not be read: {exc}"[:300])
        if form is None:
            return problem("This form has expired or came from another site: reload the page and try again.", 403)
        upload = form.get("file")
        if isinstance(upload, UploadFile) and upload.filename:
            name = upload.filename
            data = await upload.read(settings.max_upload + 1)
        elif str(form.get("text") or "").strip():
            name, data = "pasted.txt", str(form.get("text")).encode("utf-8")
        else:
            return problem("Choose a draft, drop one on the page, or paste its text.")
        if len(data) > settings.max_upload:
            return problem(f"That draft is larger than the {settings.max_upload // (1024 * 1024)} MB limit.", 413)
        if Path(name).suffix.lower() not in EXTENSIONS:
            return problem(f"{Path(name).name}: citecheck reads Word (.docx), Markdown (.md), HTML (.html) and text (.txt) drafts.", 415)
        meta = store.add(name, data)
        try:
            await run_in_threadpool(parsed, meta)
        except CitecheckError as exc:
            message = str(exc).replace(str(store.path(meta)), meta.name)
            store.remove(meta)  # a draft that cannot be read is not kept
            return problem(message, 422)
        return RedirectResponse(here(f"/drafts/{meta.id}"), status_code=303)

    def known_rows(meta: DraftMeta) -> dict[str, dict[str, Any]]:
        run = runs.get(meta.id)
        report = run.report if run is not None and run.report is not None else store.report(meta)
        return {c.source_id: check_row(c) for c in report.checks} if report is not None else {}

    async def show(request: Request) -> Response:
        meta = meta_or_none(request.path_params["draft"])
        if meta is None:
            return problem("No such draft here.", 404)
        try:
            doc = await run_in_threadpool(parsed, meta)
        except CitecheckError as exc:
            return problem(str(exc), 422)
        run = runs.get(meta.id)
        body = pages.draft(
            meta,
            doc,
            known_rows(meta),
            csrf=settings.csrf,
            token=token,
            running=run is not None and not run.finished,
            fixable=EXTENSIONS[Path(meta.stored).suffix.lower()] in FIXABLE,
        )
        return html(meta.name, body)

    async def start(request: Request) -> Response:
        posted = await posted_to_draft(request)
        if isinstance(posted, Response):
            return posted
        meta, form = posted
        kept = store.report(meta)
        only = str(form.get("source") or "") or None  # one work checked again, or all of them
        if only is not None and (kept is None or not any(c.source_id == only for c in kept.checks)):
            return problem("Check the whole draft first: a work is checked again on its own once the draft has been checked.", 409)
        current = runs.get(meta.id)
        if current is None or current.finished:
            query = pages.token_query(token)
            run = runs[meta.id] = Run(
                render_check=lambda row: pages.render_row(row, meta.decisions.get(row["source"]), f"/drafts/{meta.id}", query, settings.csrf)
            )

            def keep(report: CheckReport) -> CheckReport:
                if only is not None and kept is not None:  # the one work's new check, in the draft's whole report
                    again = {c.source_id: c for c in report.checks}
                    kept.checks = [again.get(c.source_id, c) if c.source_id == only else c for c in kept.checks]
                    report = kept
                fresh = store.meta(meta.id)
                fresh.checked, fresh.summary = run.started_wall, summary_line(report)
                store.save(fresh)
                rendered = {name: CHECK_FORMATS[fmt](report) for name, fmt in RENDERED.items()}
                rendered["links.toml"] = found_links(report)
                store.keep_report(fresh, report, rendered)
                return report

            run.task = asyncio.create_task(run_check(run, str(store.path(meta)), settings.runner, keep, only))
        return RedirectResponse(here(f"/drafts/{meta.id}"), status_code=303)

    async def events(request: Request) -> Response:
        meta = meta_or_none(request.path_params["draft"])
        run = runs.get(meta.id) if meta is not None else None
        if run is None:
            return Response("event: idle\ndata: {}\n\n", media_type="text/event-stream")
        return StreamingResponse(run.stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})

    async def decide(request: Request) -> Response:
        posted = await posted_to_draft(request)
        if isinstance(posted, Response):
            return posted
        meta, form = posted
        source, decision = str(form.get("source") or ""), str(form.get("decision") or "")
        if decision not in ("accept", "reject") or source not in known_rows(meta):
            return problem("That is not a fix this draft was offered.")
        meta.decisions[source] = decision
        store.save(meta)
        if request.headers.get("x-requested-with") == "fetch":
            return Response(status_code=204)
        return RedirectResponse(here(f"/drafts/{meta.id}"), status_code=303)

    async def download(request: Request) -> Response:
        meta = meta_or_none(request.path_params["draft"])
        what = request.path_params["what"]
        if meta is None:
            return problem("No such draft here.", 404)
        if what == "fixed":
            return await fixed(meta)
        if what not in (*RENDERED, "links.toml"):
            return problem("No such download.", 404)
        text = store.rendered(meta, what)
        if text is None:
            return problem("Check the draft first: its reports are written when the check ends.", 409)
        stem = Path(meta.name).stem
        return Response(text, media_type=MEDIA.get(Path(what).suffix, "text/plain"), headers={"Content-Disposition": f'attachment; filename="{stem}.{what}"'})

    async def fixed(meta: DraftMeta) -> Response:
        fmt = EXTENSIONS[Path(meta.stored).suffix.lower()]
        report = store.report(meta)
        if fmt not in FIXABLE:
            return problem("citecheck repairs Markdown and HTML drafts; for this one, use the report and the links file.", 415)
        if report is None:
            return problem("Check the draft first: the repair follows the check.", 409)
        rejected = frozenset(source for source, decision in meta.decisions.items() if decision == "reject")
        try:
            data, _ = await run_in_threadpool(fixed_bytes, store.path(meta).read_bytes(), fmt, report, rejected)
        except CitecheckError as exc:
            return problem(str(exc), 422)
        return Response(
            data,
            media_type=MEDIA.get(Path(meta.stored).suffix, "application/octet-stream"),
            headers={"Content-Disposition": f'attachment; filename="{Path(meta.name).name}"'},
        )

    async def settings_page(request: Request) -> Response:
        shown, backends = settings.settings_shown()
        return html("Settings", pages.settings(shown, backends))

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in ("app.js", "app.css"):
            return Response("", status_code=404)
        text = files("citecheck.serve").joinpath("static", name).read_text("utf-8")
        return Response(text, media_type="text/javascript" if name.endswith(".js") else "text/css")

    async def not_found(request: Request, exc: Exception) -> Response:
        return problem("No such page here.", 404)

    async def broken(request: Request, exc: Exception) -> Response:
        return problem(f"citecheck could not do that: {type(exc).__name__}: {exc}"[:500], 500)

    app = Starlette(
        routes=[
            Route("/", index),
            Route("/drafts", upload, methods=["POST"]),
            Route("/drafts/{draft}", show),
            Route("/drafts/{draft}/check", start, methods=["POST"]),
            Route("/drafts/{draft}/events", events),
            Route("/drafts/{draft}/decide", decide, methods=["POST"]),
            Route("/drafts/{draft}/download/{what}", download),
            Route("/settings", settings_page),
            Route("/static/{name}", static),
        ],
        exception_handlers={404: not_found, 405: not_found, 500: broken},
    )
    app.add_middleware(TokenGuard, token=token)
    return app
