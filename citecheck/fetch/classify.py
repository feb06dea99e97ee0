"""What an answer means: a soft 404, a bot wall, a move to the home page, a page's title and digest."""

from __future__ import annotations

import hashlib
import html
import re
import sys
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import httpx

from ..model import Hop, Resolution, Verdict


@dataclass(slots=True)
class Answer:
    url: str
    status: int
    headers: httpx.Headers
    body: bytes
    encoding: str | None
    elapsed_ms: float
    http_version: str


_TITLE_RE = re.compile(rb"<title[^>]*>(.*?)</title", re.IGNORECASE | re.DOTALL)


_TAG_RE = re.compile(r"<[^>]+>")


# An error page's title is its error message and perhaps the site's name: "404 Not Found",
# "Page not found – Example News", "Erreur 404 : page introuvable", "Oops! That page can’t be found.".
# A title is split at its separators and one segment must be wholly such a message; a status code
# or an error phrase inside other words ("Report 404: Trade routes", "Security Council resolution
# 404 (1977)", "Flight 404", "The Man Who Does Not Exist") is a name, not an error message.
_TITLE_SEGMENTS_RE = re.compile(r"\s+[-–—|·•:/]\s+|\s*[|·•–—]\s*|\s*:\s+|\s*::\s*")


_ERROR_CODE_RE = re.compile(r"\b(?:404|410)\b")


_ERROR_WORD_RE = re.compile(r"\b(?:error|erreur|fehler|errore|erro|fout)\b")


# words an error message wraps its phrase in, dropped before the phrase is compared
_ERROR_NOISE = frozenset(
    "oops whoops sorry uh oh ouch hmm error erreur fehler errore erro fout http code status 404 410 the this that page pages seite "
    "pagina página la le die cette esta questa requested you were are looking for we re 're web a an our".split()
)


_ERROR_PHRASES = frozenset(
    {
        "not found",
        "file not found",
        "cannot be found",
        "can't be found",
        "cant be found",
        "could not be found",
        "couldn't be found",
        "no longer available",
        "no longer exists",
        "does not exist",
        "doesn't exist",
        "not available",
        "nothing found",
        "gone",
        "introuvable",
        "non trouvée",
        "non trouvee",
        "n'existe pas",
        "n'existe plus",
        "est introuvable",
        "no encontrada",
        "no se encontró",
        "no se encontro",
        "no existe",
        "nicht gefunden",
        "wurde nicht gefunden",
        "existiert nicht",
        "non trovata",
        "non esiste",
        "não encontrada",
        "nao encontrada",
        "não existe",
        "niet gevonden",
    }
)


def _error_segment(segment: str) -> bool:
    text = " ".join(re.sub(r"[^\w'\s]", " ", segment.lower().replace("’", "'")).split())
    if not text:
        return False
    left = " ".join(w for w in text.split() if w not in _ERROR_NOISE)
    announced = bool(_ERROR_CODE_RE.search(text) or _ERROR_WORD_RE.search(text))
    return (not left and announced) or left in _ERROR_PHRASES


def is_error_title(title: str) -> bool:
    """Whether a page title is an error page's ("Page not found", "404", "Page introuvable – Site")."""
    return any(_error_segment(part) for part in _TITLE_SEGMENTS_RE.split(title.strip()) if part)


# "/", "/index.html", "/home", "/en/", "/fr-fr/index.php", "/ar": a site's front page, in some language
_HOME_PATH_RE = re.compile(
    r"^/?(?:(?:[a-z]{2}(?:[-_][a-z]{2})?/)|(?:en|fr|es|ar|de|pt|it|ru|zh|ja|nl|tr|fa|ur|sw|ha)/?$)?(?:index\.\w+|home/?|default\.\w+)?$",
    re.IGNORECASE,
)


_CHALLENGE_RE = re.compile(
    rb"just a moment|attention required|cf-browser-verification|challenge-platform|captcha|are you a robot|"
    rb"access denied|request unsuccessful\. incapsula|perimeterx|datadome",
    re.IGNORECASE,
)


_PERMANENT = frozenset({301, 308})


def page_title(body: bytes, encoding: str | None) -> str | None:
    m = _TITLE_RE.search(body[:262144]) or _H1_RE.search(body[:262144])
    if not m:
        return None
    text = m.group(1).decode(encoding or "utf-8", "replace")
    return " ".join(html.unescape(_TAG_RE.sub(" ", text)).split()) or None


def content_digest(body: bytes, url: str) -> str:
    """A fingerprint of a page's content, blind to the address it was asked for (pages often echo it)."""
    path = urlsplit(url).path.encode()
    text = body[:262144]
    if len(path) > 1:
        text = text.replace(path, b"")
    text = re.sub(rb"\s+", b" ", text).strip()
    return hashlib.sha1(text).hexdigest()


def strip_fragment(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))


def _is_home(original: str, final: str) -> bool:
    o, f = urlsplit(original), urlsplit(final)
    return bool(_HOME_PATH_RE.match(f.path)) and not f.query and not _HOME_PATH_RE.match(o.path)


def _bot_wall(answer: Answer) -> str | None:
    if answer.headers.get("cf-mitigated") == "challenge":
        return "a bot challenge (Cloudflare cf-mitigated)"
    if answer.status in (403, 429, 503, 999) and _CHALLENGE_RE.search(answer.body[:65536]):
        return f"a bot wall (HTTP {answer.status} with a challenge page)"
    if answer.status == 999:
        return "a bot wall (HTTP 999)"
    return None


def classify(url: str, hops: list[Hop], answer: Answer, title: str | None, *, probe_digest: str | None = None) -> tuple[Verdict, str, str | None]:
    """(verdict, reason in plain words, suggested URL) for the final answer of a chain, whose page title is `title`."""
    status, final = answer.status, answer.url
    if 200 <= status < 300:
        checks: tuple[tuple[bool, str], ...] = (
            (_is_home(url, final), f"redirected to the site's home page ({final})"),
            (bool(_404_URL_RE.search(urlsplit(final).path + "?" + urlsplit(final).query)) and final != url, f"redirected to an error page ({final})"),
            (bool(title and is_error_title(title)), f"soft 404: answered {status} but the page says “{title}”"),
            (
                bool(probe_digest) and content_digest(answer.body, final) == probe_digest and not _HOME_PATH_RE.match(urlsplit(final).path),
                "soft 404: the page is the one this site serves for any unknown address" + (f" (“{title}”)" if title else ""),
            ),
            (not answer.body and answer.headers.get("content-length") == "0", f"answered {status} with an empty page"),
        )
        for hit, reason in checks:
            if hit:
                return Verdict.MISSING, reason, None
        if any(h.status in _PERMANENT for h in hops) and strip_fragment(final) != strip_fragment(url):
            return Verdict.MOVED, f"permanently redirected to {final}", final
        return Verdict.OK, (f"answered {status} after redirects to {final}" if final != url else shared(f"answered {status}")), None
    wall = _bot_wall(answer)
    rules: tuple[tuple[bool, Verdict, str], ...] = (
        (wall is not None, Verdict.UNREACHABLE, f"blocked by {wall}: citecheck cannot tell whether the page exists"),
        (status in (404, 410), Verdict.MISSING, f"the server says the page is gone (HTTP {status})"),
        (status == 451, Verdict.MISSING, "unavailable for legal reasons (HTTP 451)"),
        (status in (401, 402), Verdict.UNREACHABLE, f"behind a login or paywall (HTTP {status})"),
        (status == 403, Verdict.UNREACHABLE, "access forbidden (HTTP 403): often a bot wall"),
        (status == 429, Verdict.UNREACHABLE, "rate limited (HTTP 429) after all retries"),
        (status >= 500, Verdict.UNREACHABLE, f"server error (HTTP {status}) after all retries"),
        (300 <= status < 400, Verdict.UNREACHABLE, f"redirect (HTTP {status}) without a usable Location"),
    )
    for hit, verdict, reason in rules:
        if hit:
            return verdict, reason, None
    return Verdict.UNREACHABLE, f"unexpected answer (HTTP {status})", None


# the charset parameter of a Content-Type (httpx's `charset_encoding` parses the header with
# the email package: ~0.1 ms an answer, which matters at thousands of links)
_CHARSET = re.compile(r"""charset\s*=\s*["']?([^"';\s]+)""", re.IGNORECASE)


def charset_of(content_type: str | None) -> str | None:
    match = _CHARSET.search(content_type) if content_type else None
    return shared(match.group(1)) if match else None


def shared(text: str) -> str:
    """One copy of a string that thousands of results repeat ("answered 200", "text/html;
    charset=utf-8", the second a fetch ended): at 20,000 links, 5 MB of equal strings."""
    return sys.intern(text)


_H1_RE = re.compile(rb"<h1[^>]*>(.*?)</h1", re.IGNORECASE | re.DOTALL)


# Where sites send unknown addresses: "/404", "/en/404.html", "/errors/404", "/error?code=404",
# "/page-not-found"; not "/resolutions/404" or "/flight-404-report" (a number in a path is a name)
_404_URL_RE = re.compile(
    r"^(?:/(?:en|fr|es|de|ar|pt|it|ru|zh|ja|nl|tr|fa|ur|sw|ha|pl|uk|ko|id|hi|he|el|sv|da|no|fi|cs|ro|hu|vi|th|bn)(?:[-_][a-z]{2})?)?/(?:404|410)(?:\.\w+)?/?(?:\?|$)|/[^/?]*(?:404|410)\.(?:html?|php|aspx?|jsp)(?:\?|$)|"
    r"/errors?(?:/|\.\w+\?|\?)(?:.*\b(?:404|410)\b)?|(?:^|/)(?:not[-_]?found|page[-_]not[-_]found|error[-_]?404|404[-_]error)(?:[/_.?]|$)|"
    r"[?&](?:error|code|status|err)=(?:404|410)\b",
    re.IGNORECASE,
)


def internal_error(url: str, exc: Exception) -> Resolution:
    return Resolution(url=url, verdict=Verdict.UNREACHABLE, reason=f"internal error: {type(exc).__name__}: {exc}", error=repr(exc))


def describe(exc: BaseException) -> str:
    text = str(exc)
    cause = exc.__cause__ or exc.__context__
    if cause is not None and str(cause) and str(cause) not in text:
        text = f"{text} ({cause})" if text else str(cause)
    return f"{type(exc).__name__}: {text}"[:300] if text else type(exc).__name__
