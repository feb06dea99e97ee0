"""X posts cited without a URL: the account's posts archived around the cited day.

x.com answers bots with 403, so a post is found through the Wayback Machine's listing of the
account's archived posts (`twitter.com/<handle>/status/` and `x.com/…`), narrowed to the cited
day ± 2 by the time each post's id encodes (X ids are snowflakes), and each listed post's text
read from X's embed endpoint and matched against the cited text (a prefix when the note cuts it
with "…"). The best match over 0.85 is the lead; the verifier then checks the post as any found
work. The account comes from the note (`@handle`) or the article's bios.
"""

from __future__ import annotations

from ..recover.archive import Archives
from ..recover.platforms import X_STATUS_RE, resolve_x
from ..recover.posts import find_post
from .base import Asked, Context, Lead, WorkQuery


class XArchive:
    name = "x-archive"

    def __init__(self, archives: Archives | None = None) -> None:
        self.archives = archives

    def skip(self, work: WorkQuery, ctx: Context) -> str | None:
        if work.platform != "X":
            return "not a post on X"
        if not ctx.archives_on:
            return "the archives are off (--no-archive): the posts are looked for among the Wayback Machine's captures"
        if not work.handle:
            return "the note names no account, and no bio in the article gives one"
        return None if work.issued is not None else "the note gives no date"

    async def ask(self, work: WorkQuery, ctx: Context) -> Asked:
        assert work.handle is not None and work.issued is not None
        archives = self.archives or Archives(ctx.resolver, ctx.endpoints)

        async def text_of(url: str) -> str | None:
            res = await resolve_x(url, X_STATUS_RE.match(url), ctx.resolver.fetch_api, ctx.endpoints)  # type: ignore[arg-type]
            return res.post.text if res.post else None

        search = await find_post(archives, text_of, work.handle, work.issued, work.title)
        said = "; ".join(search.tried)
        if search.failure is not None:
            return Asked(self.name, [], f"could not search @{work.handle}'s archived posts ({search.failure})", reached=False)
        if search.match is None:
            return Asked(self.name, [], f"searched @{work.handle}'s archived posts: none matches ({said})")
        match = search.match
        lead = Lead(match.url, self.name, match.confidence, f"among @{work.handle}'s archived posts near the cited day (text match {match.confidence:.2f})")
        return Asked(self.name, [lead], said)
