"""Writes the parsing corpus: drafts in the shapes real tools and authors produce, and what each must parse to.

    python -m tests.corpus.build      # rewrites tests/corpus/drafts/ and tests/corpus/expected.json

Each draft's notes are hand-checked notes of the table (tests/cases and tests/test_citations.py, every
field written by hand), laid out as one tool lays out footnotes: a CMS's HTML, a word processor's
DOCX parts, an author's Markdown or plain text. Back-references that only mean something in a
draft (Ibid. after a note, an author's short form after the full one) are added in place, with the
note they point at. The shapes follow real output:

- pandoc's HTML (`a.footnote-ref`, `section.footnotes`), Python-Markdown (`div.footnote`, `fn:1`),
  markdown-it as Ghost renders it (`sup.footnote-ref`, `li.footnote-item`), WordPress's footnotes
  block (`sup[data-fn]`, `ol.wp-block-footnotes`), Word's "Save as Web Page" (`mso-footnote-id`,
  `#_ftn1`), Google Docs' export (`#ftnt1`, `#ftnt_ref1`, google.com/url redirects), SPIP
  (`spip_note`, `[1]`), Standard Ebooks' endnotes (`epub:type="noteref"`), Substack
  (`footnote-anchor`, `footnote-content`), WordPress's Easy Footnotes and Modern Footnotes (inline
  notes described by `aria-describedby`), and a plain ordered list after a "Notes" heading;
- DOCX as Word writes it (separator notes -1 and 0, `FootnoteReference` runs split at edits,
  hyperlinks by relationship), as Google Docs exports it (superscript runs, footnotes from 1), as
  LibreOffice writes it (separators 0 and 1, notes from 2, `FootnoteCharacters`, HYPERLINK fields),
  and Word's endnotes;
- Markdown with numbered, named and unreferenced footnotes, and Markdown without footnote syntax;
- plain text as journals print notes (`[1]`, `1.`, superscript digits) and as books print them
  (`1 Text` under "Notes", numbering restarting per chapter).

The documents are committed; rebuild them only when the table or a shape changes, and read the diff.
"""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.cases import de, en, es, fr
from tests.test_citations import CASES

HERE = Path(__file__).resolve().parent

# --- the notes -------------------------------------------------------------------------------------


@dataclass
class Entry:
    """One note of a draft: its text and the sources it must give (fields as the table writes them)."""

    text: str
    framing: str | None
    sources: list[dict[str, Any]]


SENTENCES = {
    "en": [
        "Reporting at the time described the attack in detail.",
        "The group denied any role.",
        "Officials later confirmed the toll.",
        "The claim was repeated in its own statement.",
        "Analysts had warned of this for years.",
        "The army’s account differed.",
        "Few outside the region noticed.",
        "The report drew on dozens of interviews.",
    ],
    "fr": [
        "La presse de l’époque décrit l’attaque en détail.",
        "Le groupe a nié toute implication.",
        "Les autorités ont confirmé le bilan.",
        "Les analystes l’avaient annoncé depuis des années.",
        "La version de l’armée diffère.",
        "Le rapport s’appuie sur des dizaines d’entretiens.",
    ],
    "de": [
        "Die Presse beschrieb den Anschlag damals ausführlich.",
        "Die Gruppe bestritt jede Beteiligung.",
        "Die Behörden bestätigten die Zahl der Opfer.",
        "Fachleute hatten seit Jahren davor gewarnt.",
        "Die Darstellung der Armee wich ab.",
        "Der Bericht stützt sich auf zahlreiche Interviews.",
    ],
    "es": [
        "La prensa describió el ataque con detalle.",
        "El grupo negó cualquier implicación.",
        "Las autoridades confirmaron el balance.",
        "Los analistas lo habían advertido durante años.",
        "La versión del ejército era distinta.",
        "El informe se basa en decenas de entrevistas.",
    ],
}

# The full note, then a short form of it as authors write it, and the page the short form gives
SHORT_FORMS: dict[str, list[tuple[str, str, str]]] = {
    "en": [
        ("Hannah Arendt, The Origins of Totalitarianism (New York: Harcourt, Brace & World, 1951), 12.", "Arendt, The Origins of Totalitarianism, 31.", "31"),
        ("Steven Levitsky and Daniel Ziblatt, How Democracies Die (New York: Crown, 2018), 45.", "Levitsky and Ziblatt, How Democracies Die, 50.", "50"),
        (
            "Scott Straus, “‘Destroy Them to Save Us’: Theories of Genocide and the Logics of Political Violence,” Terrorism and Political Violence 24, no. 4 (2012): 544–60.",
            "Straus, “‘Destroy Them to Save Us’,” 550.",
            "550",
        ),
        ("Olivier Roy, Globalized Islam (London: Hurst, 2004), 45–47.", "Roy, Globalized Islam, 60.", "60"),
    ],
    "fr": [
        ("Gilles Kepel, Terreur dans l’Hexagone (Paris : Gallimard, 2015), p. 45.", "Kepel, Terreur dans l’Hexagone, op. cit., p. 52.", "52"),
        ("Olivier Roy, *Le Djihad et la Mort* (Paris : Seuil, 2016), 22.", "Roy, op. cit., p. 30.", "30"),
    ],
    "de": [
        ("Guido Steinberg, Der nahe und der ferne Feind (München: C.H. Beck, 2005), S. 45.", "Steinberg, a. a. O., S. 50.", "50"),
        ("Herfried Münkler, Die neuen Kriege (Reinbek: Rowohlt, 2002), 7–12.", "Münkler, Die neuen Kriege, 40.", "40"),
    ],
    "es": [
        ("Fernando Reinares, Yihadismo global y España (Madrid: Alianza, 2021), 45.", "Reinares, op. cit., p. 50.", "50"),
        ("Véase Luis de la Corte, La lógica del terrorismo (Madrid: Alianza, 2006), 88.", "De la Corte, La lógica del terrorismo, 90.", "90"),
    ],
}

IBID = {"en": ("Ibid., 14.", "14"), "fr": ("Ibid., p. 14.", "14"), "de": ("Ebd., S. 14.", "14"), "es": ("Ibid., p. 14.", "14")}


def _pool() -> dict[str, list[Entry]]:
    """The table's notes by language; the original table is mostly English, with some of each language."""

    def entries(cases: list[tuple[str, str | None, list[dict[str, Any]]]]) -> list[Entry]:
        return [Entry(t, f, s) for t, f, s in cases]

    return {"en": entries(en.CASES) + entries(CASES), "fr": entries(fr.CASES), "de": entries(de.CASES), "es": entries(es.CASES)}


def _by_text() -> dict[str, Entry]:
    return {e.text: e for entries in _pool().values() for e in entries}


class Drawer:
    """Hands out the table's notes round-robin per language, so each is used about equally often
    (the full notes of the short forms are left to compose, which places them before their short form)."""

    def __init__(self) -> None:
        fulls = {full for pairs in SHORT_FORMS.values() for full, _, _ in pairs}
        self.pool = {lang: [e for e in entries if e.text not in fulls] for lang, entries in _pool().items()}
        self.next = dict.fromkeys(self.pool, 0)

    def take(self, lang: str, n: int) -> list[Entry]:
        entries = self.pool[lang]
        out = []
        while len(out) < n:
            e = entries[self.next[lang] % len(entries)]
            self.next[lang] += 1
            # back-references in isolation mean nothing in a draft: they are added in place below
            if not any(s.get("position", "first") != "first" for s in e.sources):
                out.append(e)
        return out


@dataclass
class Draft:
    name: str
    lang: str
    notes: list[Entry]
    # expected id of each note, as the reader numbers it
    ids: list[str] = field(default_factory=list)


def compose(name: str, lang: str, drawer: Drawer, n: int, *, short_forms: int = 1, ibids: int = 1) -> Draft:
    """A draft of about `n` notes: table notes, with an Ibid. after a one-work note and an author's
    short form after its full note, each pointing at the note before it by position."""
    notes = drawer.take(lang, n - 2 * short_forms - ibids)
    by_text = _by_text()
    for k, (full, short, page) in enumerate(SHORT_FORMS[lang][:short_forms]):
        at = min(len(notes), 2 + 5 * k)
        notes[at:at] = [by_text[full], Entry(short, None, [dict(position="subsequent", refers_to=("@", at), page=page)])]
    for k in range(ibids):
        at = next(i for i in range(len(notes) // 2 + k, len(notes)) if len(notes[i].sources) == 1 and "refers_to" not in notes[i].sources[0])
        text, page = IBID[lang]
        notes.insert(at + 1, Entry(text, None, [dict(position="ibid-with-locator", refers_to=("@", at), page=page)]))
    return Draft(name, lang, notes)


# --- inline markup: *italics*, [linked](titles) and URLs, as each format writes them ------------------------

# "…, “Title,” Outlet, Date, https://….": the URL printed last, after a quoted title
_PRINTED_URL_RE = re.compile(r"^(?P<pre>[^“«„]*)(?P<title>[“«„][^”»“]+?,?\s?[”»“],?)(?P<mid>[^“”«»„]*?),\s*(?P<url>https?://\S+?)\.?$")


def link_title(e: Entry) -> Entry:
    """The note as an editor writes it in a CMS or a word processor: the title made a link to the
    work and the printed URL dropped; what it must parse to is the same."""
    m = _PRINTED_URL_RE.match(e.text)
    if m is None or len(e.sources) != 1 or "web.archive.org" in e.text or not e.sources[0].get("url", "").startswith("http"):
        return e
    return Entry(f"{m['pre']}[{m['title']}]({m['url']}){m['mid']}.", e.framing, e.sources)


_LINK_RE = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
_URL_RE = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;)]|https?://\[[0-9a-f:]+\][^\s<>\"]*[^\s<>\".,;)]")
_EM_RE = re.compile(r"(?<![\w/*])(\*|_)(?=\S)(.+?)(?<=\S)\1(?![\w/*])")


def pieces(text: str) -> Iterator[tuple[str, str, str]]:
    """(kind, text, address) in order: kind "text", "em", "url" (printed) or "link" (a linked title)."""
    pos = 0
    urls = [(m.start(), m.end()) for m in _URL_RE.finditer(text)]
    marks = sorted(
        [(m.start(), m.end(), "link", m.group(1), m.group(2)) for m in _LINK_RE.finditer(text)]
        + [(m.start(), m.end(), "url", m.group(0), m.group(0)) for m in _URL_RE.finditer(text)]
        + [(m.start(), m.end(), "em", m.group(2), "") for m in _EM_RE.finditer(text) if not any(a <= m.start() < b for a, b in urls)]
    )
    for start, end, kind, value, address in marks:
        if start < pos:
            continue
        if start > pos:
            yield "text", text[pos:start], ""
        yield kind, value, address
        pos = end
    if pos < len(text):
        yield "text", text[pos:], ""


def to_html(text: str, href: Callable[[str], str] = lambda u: u) -> str:
    out = []
    for kind, value, address in pieces(text):
        v = html.escape(value, quote=False)
        out.append(f"<em>{v}</em>" if kind == "em" else f'<a href="{html.escape(href(address))}">{v}</a>' if address else v)
    return "".join(out)


# --- plain text and Markdown ----------------------------------------------------------------------------


def _title(d: Draft) -> str:
    return Path(d.name).stem.replace("-", " ").capitalize()


def body_sentences(d: Draft) -> list[str]:
    pool = SENTENCES[d.lang]
    return [pool[i % len(pool)] for i in range(len(d.notes))]


def text_draft(d: Draft, style: str) -> str:
    """Journal style: body with markers glued to the sentence's end, then a notes heading and notes."""
    sentences = body_sentences(d)
    heading = {"en": "Notes", "fr": "Notes", "de": "Anmerkungen", "es": "Notas"}[d.lang]
    sup = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
    body = []
    for i, s in enumerate(sentences, 1):
        body.append(f"{s}{i}" if style != "superscript" else f"{s}{str(i).translate(sup)}")
    paragraphs = [" ".join(body[i : i + 4]) for i in range(0, len(body), 4)]
    out = [f"{_title(d)}", "", *(p + "\n" for p in paragraphs), heading, ""]
    for i, e in enumerate(d.notes, 1):
        number = {"bracket": f"[{i}] ", "dotted": f"{i}. ", "superscript": str(i).translate(sup) + " ", "spaced": f"{i} "}[style]
        out.append(number + e.text)
    d.ids = [str(i) for i in range(1, len(d.notes) + 1)]
    return "\n".join(out) + "\n"


def book_draft(d: Draft, chapters: list[str]) -> str:
    """A book's endnotes: chapters in the body, then "Notes" with each chapter's heading and its
    notes numbered `1 Text` from 1 again; a long note wraps onto a second line."""
    per = -(-len(d.notes) // len(chapters))
    sentences = body_sentences(d)
    body, notes, d.ids = [], ["Notes", ""], []
    for c, title in enumerate(chapters):
        chunk = list(range(c * per, min((c + 1) * per, len(d.notes))))
        body += [title, "", " ".join(f"{sentences[i]}{k}" for k, i in enumerate(chunk, 1)), ""]
        notes += ["", title] if c else [title]
        for k, i in enumerate(chunk, 1):
            text = d.notes[i].text
            if len(text) > 90 and " " in text[60:]:
                cut = text.index(" ", 60)
                text = text[:cut] + "\n   " + text[cut + 1 :]
            notes.append(f"{k} {text}")
            d.ids.append(f"{c + 1}-{k}")
    return "\n".join(body + notes) + "\n"


def markdown_draft(d: Draft, labels: str) -> str:
    """Footnotes `[^1]` (numbered), `[^smith2020]` (named), or only definitions (a notes chapter)."""
    sentences = body_sentences(d)
    keys = []
    for i, e in enumerate(d.notes, 1):
        if labels == "named":
            word = re.sub(r"\W+", "", (re.findall(r"[A-Za-zÀ-ÿ]{4,}", e.text) or ["note"])[0].lower())
            keys.append(f"{word}{i}")
        else:
            keys.append(str(i))
    d.ids = keys
    out = [f"# {_title(d)}", ""]
    if labels != "unreferenced":
        out += [" ".join(f"{s}[^{k}]" for s, k in zip(sentences[i : i + 4], keys[i : i + 4])) + "\n" for i in range(0, len(keys), 4)]
    else:
        out += ["Notes to the chapter above.", ""]
    for k, e in zip(keys, d.notes):
        out.append(f"[^{k}]: {e.text}")
    return "\n".join(out) + "\n"


def markdown_list_draft(d: Draft) -> str:
    """Markdown without footnote syntax: markers in the text, an ordered list under "## Notes"."""
    sentences = body_sentences(d)
    d.ids = [str(i) for i in range(1, len(d.notes) + 1)]
    body = " ".join(f"{s}{i}" for i, s in enumerate(sentences, 1))
    return f"# {_title(d)}\n\n{body}\n\n## Notes\n\n" + "\n".join(f"{i}. {e.text}" for i, e in enumerate(d.notes, 1)) + "\n"


# --- HTML, one function per tool ----------------------------------------------------------------------


def _page(title: str, lang: str, body: str, head: str = "", body_attrs: str = "") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n<title>{html.escape(title)}</title>\n{head}</head>\n'
        f"<body{body_attrs}>\n{body}\n</body>\n</html>\n"
    )


def html_draft(d: Draft, tool: str) -> str:
    sentences = [html.escape(s) for s in body_sentences(d)]
    n = len(d.notes)
    d.ids = [str(i) for i in range(1, n + 1)]
    title = _title(d)
    paragraphs: list[str] = []
    for start in range(0, n, 4):
        paragraphs.append("".join(sentences[i] + REF[tool](i + 1) + " " for i in range(start, min(start + 4, n))).strip())
    notes = [NOTE[tool](i, to_html(e.text, HREF.get(tool, lambda u: u))) for i, e in enumerate(d.notes, 1)]
    return WRAP[tool](title, d.lang, paragraphs, notes)


def _google(url: str) -> str:
    return f"https://www.google.com/url?q={url}&amp;sa=D&amp;source=editors&amp;ust=1717171717171717&amp;usg=AOvVaw0abcdefghijklmnopqrst"


HREF: dict[str, Callable[[str], str]] = {"google-docs": lambda u: html.unescape(_google(u))}

REF: dict[str, Callable[[int], str]] = {
    "pandoc": lambda i: f'<a href="#fn{i}" class="footnote-ref" id="fnref{i}" role="doc-noteref"><sup>{i}</sup></a>',
    "python-markdown": lambda i: f'<sup id="fnref:{i}"><a class="footnote-ref" href="#fn:{i}">{i}</a></sup>',
    "ghost": lambda i: f'<sup class="footnote-ref"><a href="#fn{i}" id="fnref{i}">[{i}]</a></sup>',
    "wordpress": lambda i: (
        f'<sup data-fn="0b5c{i:04x}-7f1e-4c1a-9d3e-5f6a7b8c9d{i:02d}" class="fn"><a href="#0b5c{i:04x}-7f1e-4c1a-9d3e-5f6a7b8c9d{i:02d}" id="0b5c{i:04x}-7f1e-4c1a-9d3e-5f6a7b8c9d{i:02d}-link">{i}</a></sup>'
    ),
    "word": lambda i: (
        f'<a style=\'mso-footnote-id:ftn{i}\' href="#_ftn{i}" name="_ftnref{i}" title=""><span class=MsoFootnoteReference>'
        f"<span class=MsoFootnoteReference><span style='font-size:12.0pt;line-height:107%'>[{i}]</span></span></span></a>"
    ),
    "google-docs": lambda i: f'<sup><a href="#ftnt{i}" id="ftnt_ref{i}">[{i}]</a></sup>',
    "spip": lambda i: f'<span class="spip_note_ref">&nbsp;[<a href="#nb{i}" class="spip_note" rel="appendix" title="" id="nh{i}">{i}</a>]</span>',
    "epub": lambda i: f'<a href="endnotes.xhtml#note-{i}" id="noteref-{i}" epub:type="noteref">{i}</a>',
    "substack": lambda i: (
        f'<a class="footnote-anchor" data-component-name="FootnoteAnchorToDOM" id="footnote-anchor-{i}" href="#footnote-{i}" target="_self">{i}</a>'
    ),
    "easy-footnotes": lambda i: (
        f'<span class="easy-footnote-margin-adjust" id="easy-footnote-{i}-2871"></span><span class="easy-footnote">'
        f'<a href="#easy-footnote-bottom-{i}-2871" title=""><sup>{i}</sup></a></span>'
    ),
    "modern-footnotes": lambda i: "",  # written with the note, inline
    "list": lambda i: f"<sup>{i}</sup>",
}

NOTE: dict[str, Callable[[int, str], str]] = {
    "pandoc": lambda i, t: f'<li id="fn{i}"><p>{t}<a href="#fnref{i}" class="footnote-back" role="doc-backlink">↩︎</a></p></li>',
    "python-markdown": lambda i, t: (
        f'<li id="fn:{i}">\n<p>{t}&#160;<a class="footnote-backref" href="#fnref:{i}" title="Jump back to footnote {i} in the text">&#8617;</a></p>\n</li>'
    ),
    "ghost": lambda i, t: f'<li id="fn{i}" class="footnote-item"><p>{t} <a href="#fnref{i}" class="footnote-backref">↩︎</a></p>\n</li>',
    "wordpress": lambda i, t: (
        f'<li id="0b5c{i:04x}-7f1e-4c1a-9d3e-5f6a7b8c9d{i:02d}">{t} <a href="#0b5c{i:04x}-7f1e-4c1a-9d3e-5f6a7b8c9d{i:02d}-link" aria-label="Jump to footnote reference {i}">↩︎</a></li>'
    ),
    "word": lambda i, t: (
        f"<div style='mso-element:footnote' id=ftn{i}>\n<p class=MsoFootnoteText><a style='mso-footnote-id:ftn{i}' href=\"#_ftnref{i}\" "
        f'name="_ftn{i}" title=""><span class=MsoFootnoteReference><span class=MsoFootnoteReference>'
        f"<span style='font-size:10.0pt;line-height:107%'>[{i}]</span></span></span></a> {t}<o:p></o:p></p>\n</div>"
    ),
    "google-docs": lambda i, t: f'<div><p class="c3"><a href="#ftnt_ref{i}" id="ftnt{i}">[{i}]</a><span class="c2">&nbsp;{t}</span></p></div>',
    "spip": lambda i, t: (
        f'<div id="nb{i}">\n<p><span class="spip_note_ref">[<a href="#nh{i}" class="spip_note" title="Notes {i}" rev="appendix">{i}</a>] </span>{t}</p>\n</div>'
    ),
    "epub": lambda i, t: f'<li id="note-{i}" epub:type="endnote">\n<p>{t} <a href="chapter-1.xhtml#noteref-{i}" epub:type="backlink">↩</a></p>\n</li>',
    "substack": lambda i, t: (
        f'<div class="footnote" data-component-name="FootnoteToDOM"><a id="footnote-{i}" href="#footnote-anchor-{i}" '
        f'class="footnote-number" contenteditable="false" target="_self">{i}</a><div class="footnote-content"><p>{t}</p></div></div>'
    ),
    "easy-footnotes": lambda i, t: (
        f'<li class="easy-footnote-single"><span id="easy-footnote-bottom-{i}-2871" class="easy-footnote-margin-adjust"></span>'
        f'{t}<a class="easy-footnote-to-top" href="#easy-footnote-{i}-2871"></a></li>'
    ),
    "modern-footnotes": lambda i, t: t,
    "list": lambda i, t: f"<li>{t}</li>",
}


def _mfn(i: int, t: str) -> str:
    scope = "000000000000023f0000000000000000_2871"
    return (
        f'<sup class="modern-footnotes-footnote " data-mfn="{i}" data-mfn-post-scope="{scope}"><a href="javascript:void(0)"  role="button" '
        f'aria-pressed="false" aria-describedby="mfn-content-{scope}-{i}">{i}</a></sup><span id="mfn-content-{scope}-{i}" role="tooltip" '
        f'class="modern-footnotes-footnote__note" tabindex="0" data-mfn="{i}">{t}</span>'
    )


def _paragraphs(ps: list[str], cls: str = "") -> str:
    return "\n".join(f"<p{cls}>{p}</p>" for p in ps)


WRAP: dict[str, Callable[[str, str, list[str], list[str]], str]] = {
    "pandoc": lambda title, lang, ps, ns: _page(
        title,
        lang,
        f'<header id="title-block-header">\n<h1 class="title">{title}</h1>\n</header>\n'
        + _paragraphs(ps)
        + '\n<section id="footnotes" class="footnotes footnotes-end-of-document" role="doc-endnotes">\n<hr />\n<ol>\n'
        + "\n".join(ns)
        + "\n</ol>\n</section>",
    ),
    "python-markdown": lambda title, lang, ps, ns: _page(
        title, lang, f"<h1>{title}</h1>\n" + _paragraphs(ps) + '\n<div class="footnote">\n<hr />\n<ol>\n' + "\n".join(ns) + "\n</ol>\n</div>"
    ),
    "ghost": lambda title, lang, ps, ns: _page(
        title,
        lang,
        f'<article class="gh-article post"><h1 class="gh-article-title">{title}</h1>\n'
        '<section class="gh-content gh-canvas">\n<!--kg-card-begin: markdown-->'
        + _paragraphs(ps)
        + '\n<hr class="footnotes-sep">\n<section class="footnotes">\n<ol class="footnotes-list">\n'
        + "\n".join(ns)
        + "\n</ol>\n</section>\n<!--kg-card-end: markdown-->\n</section></article>",
    ),
    "wordpress": lambda title, lang, ps, ns: _page(
        title,
        lang,
        f'<article class="post type-post"><h1 class="entry-title">{title}</h1>\n'
        '<div class="entry-content wp-block-post-content">\n'
        + "\n\n".join(f"<!-- wp:paragraph -->\n<p>{p}</p>\n<!-- /wp:paragraph -->" for p in ps)
        + '\n\n<!-- wp:footnotes /-->\n<ol class="wp-block-footnotes">'
        + "".join(ns)
        + "</ol>\n</div></article>",
    ),
    "word": lambda title, lang, ps, ns: _page(
        title,
        lang,
        "<div class=WordSection1>\n"
        + _paragraphs(ps, " class=MsoNormal")
        + "\n</div>\n<div style='mso-element:footnote-list'><![if !supportFootnotes]><br clear=all>\n<hr align=left size=1 width=\"33%\">\n<![endif]>\n"
        + "\n".join(ns)
        + "\n</div>",
        head='<meta name=Generator content="Microsoft Word 15 (filtered)">\n',
    ),
    "google-docs": lambda title, lang, ps, ns: _page(
        title,
        lang,
        _paragraphs(ps, ' class="c1"') + '<hr class="c6">\n' + "".join(ns),
        head='<style type="text/css">.c1{margin:0}</style>\n',
        body_attrs=' class="c7 doc-content"',
    ),
    "spip": lambda title, lang, ps, ns: _page(
        title,
        lang,
        f'<div class="main"><h1 class="crayon article-titre-12 h1">{title}</h1>\n<div class="crayon article-texte-12 texte">'
        + _paragraphs(ps, ' class="spip"')
        + '</div>\n<div class="notes surlignable"><h2 class="h2 pas_surlignable">Notes</h2>\n'
        + "\n".join(ns)
        + "\n</div></div>",
    ),
    "epub": lambda title, lang, ps, ns: (
        f'<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
        f'epub:prefix="z3998: http://www.daisy.org/z3998/2012/vocab/structure/, se: https://standardebooks.org/vocab/1.0" xml:lang="{lang}">\n'
        f'<head>\n<title>{title}</title>\n</head>\n<body epub:type="bodymatter z3998:fiction">\n'
        f'<section id="chapter-1" epub:type="chapter">\n<h2 epub:type="title">{title}</h2>\n'
        + _paragraphs(ps)
        + '\n</section>\n<section id="endnotes" epub:type="backmatter endnotes">\n<h2 epub:type="title">Endnotes</h2>\n<ol>\n'
        + "\n".join(ns)
        + "\n</ol>\n</section>\n</body>\n</html>\n"
    ),
    "substack": lambda title, lang, ps, ns: _page(
        title, lang, f'<div class="available-content"><div dir="auto" class="body markup"><h1>{title}</h1>' + _paragraphs(ps) + "".join(ns) + "</div></div>"
    ),
    "easy-footnotes": lambda title, lang, ps, ns: _page(
        title,
        lang,
        f'<div class="entry-content"><h1>{title}</h1>'
        + _paragraphs(ps)
        + '<div class="easy-footnote-title"><h4>Notes:</h4></div><ol class="easy-footnotes-wrapper">'
        + "".join(ns)
        + "</ol></div>",
    ),
    "modern-footnotes": lambda title, lang, ps, ns: "",  # see _modern_footnotes
    "list": lambda title, lang, ps, ns: _page(title, lang, f"<h1>{title}</h1>\n" + _paragraphs(ps) + "\n<h2>Notes</h2>\n<ol>\n" + "\n".join(ns) + "\n</ol>"),
}


def modern_footnotes_draft(d: Draft) -> str:
    sentences = [html.escape(s) for s in body_sentences(d)]
    d.ids = [str(i) for i in range(1, len(d.notes) + 1)]
    ps = []
    for start in range(0, len(d.notes), 4):
        ps.append(" ".join(sentences[i] + _mfn(i + 1, to_html(d.notes[i].text)) for i in range(start, min(start + 4, len(d.notes)))))
    title = _title(d)
    return _page(title, d.lang, f'<article class="post"><h1 class="entry-title">{title}</h1><div class="entry-content">' + _paragraphs(ps) + "</div></article>")


# --- DOCX, as Word, Google Docs and LibreOffice write it ------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"


@dataclass(frozen=True)
class DocxTool:
    name: str
    first_id: int  # the id of the first real note: Word and Google Docs 1 (separators -1 and 0), LibreOffice 2 (separators 0 and 1)
    separators: tuple[int, int]
    ref_style: str  # the reference run's properties
    note_ref_style: str  # the note's own number run's properties
    links_as_fields: bool  # LibreOffice's older HYPERLINK fields, instead of w:hyperlink
    endnotes: bool = False
    note_style: str = "FootnoteText"  # the note paragraph's style: LibreOffice names it "Footnote"
    after_ref: str = '<w:r><w:t xml:space="preserve"> </w:t></w:r>'  # between the note's number and its text: LibreOffice a tab


DOCX_TOOLS = {
    "word": DocxTool("word", 1, (-1, 0), '<w:rStyle w:val="FootnoteReference"/>', '<w:rStyle w:val="FootnoteReference"/>', False),
    "word-endnotes": DocxTool("word-endnotes", 1, (-1, 0), '<w:rStyle w:val="EndnoteReference"/>', '<w:rStyle w:val="EndnoteReference"/>', False, True),
    "google-docs": DocxTool("google-docs", 1, (-1, 0), '<w:vertAlign w:val="superscript"/>', '<w:vertAlign w:val="superscript"/>', False),
    "libreoffice": DocxTool(
        "libreoffice",
        2,
        (0, 1),
        '<w:rStyle w:val="FootnoteAnchor"/>',
        '<w:rStyle w:val="FootnoteCharacters"/>',
        True,
        note_style="Footnote",
        after_ref="<w:r><w:rPr></w:rPr><w:tab/></w:r>",
    ),
}


def _t(text: str) -> str:
    return f'<w:t xml:space="preserve">{html.escape(text, quote=False)}</w:t>'


def _runs(text: str, rels: list[str], tool: DocxTool) -> str:
    """A note's runs: plain text split where an editor's changes would split it, italics, and links."""
    out = []
    for kind, value, address in pieces(text):
        if kind == "em":
            out.append(f"<w:r><w:rPr><w:i/><w:iCs/></w:rPr>{_t(value)}</w:r>")
        elif address and tool.links_as_fields:
            out.append(
                f'<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> HYPERLINK "{html.escape(address)}" </w:instrText></w:r>'
                f'<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:rPr><w:rStyle w:val="Hyperlink"/></w:rPr>{_t(value)}</w:r>'
                f'<w:r><w:fldChar w:fldCharType="end"/></w:r>'
            )
        elif address:
            rels.append(address)
            out.append(
                f'<w:hyperlink r:id="rId{len(rels) + 10}" w:history="1"><w:r><w:rPr><w:rStyle w:val="Hyperlink"/></w:rPr>{_t(value)}</w:r></w:hyperlink>'
            )
        else:
            words = value.split(" ")
            half = len(words) // 2
            chunks = [" ".join(words[:half]) + (" " if half else ""), " ".join(words[half:])] if len(words) > 6 else [value]
            out += [f'<w:r w:rsidR="00A1{k}B2C3">{_t(c)}</w:r>' for k, c in enumerate(chunks) if c]
    return "".join(out)


def docx_draft(d: Draft, tool: DocxTool) -> bytes:
    kind = "endnote" if tool.endnotes else "footnote"
    sentences = body_sentences(d)
    d.ids = [str(i) for i in range(1, len(d.notes) + 1)]
    # the document: paragraphs of four sentences, each closed by its reference run
    paras = []
    for start in range(0, len(d.notes), 4):
        runs = []
        for i in range(start, min(start + 4, len(d.notes))):
            runs.append(
                f'<w:r>{_t(sentences[i])}</w:r><w:r><w:rPr>{tool.ref_style}</w:rPr><w:{kind}Reference w:id="{tool.first_id + i}"/></w:r><w:r>{_t(" ")}</w:r>'
            )
        paras.append(f'<w:p><w:pPr><w:pStyle w:val="Normal"/></w:pPr>{"".join(runs)}</w:p>')
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>'
        f'<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r>{_t(_title(d))}</w:r></w:p>'
        + "".join(paras)
        + '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>'
    )
    rels: list[str] = []
    notes = [
        f'<w:{kind} w:type="separator" w:id="{tool.separators[0]}"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>',
        f'<w:{kind} w:type="continuationSeparator" w:id="{tool.separators[1]}"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:{kind}>',
    ]
    style = "EndnoteText" if tool.endnotes else tool.note_style
    for i, e in enumerate(d.notes):
        notes.append(
            f'<w:{kind} w:id="{tool.first_id + i}"><w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
            f"<w:r><w:rPr>{tool.note_ref_style}</w:rPr><w:{kind}Ref/></w:r>{tool.after_ref}{_runs(e.text, rels, tool)}</w:p></w:{kind}>"
        )
    part = f"word/{kind}s.xml"
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            f'<Override PartName="/{part}" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}s+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>"
        ),
        "word/_rels/document.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}s" Target="{kind}s.xml"/>'
            "</Relationships>"
        ),
        "word/document.xml": document,
        part: f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:{kind}s xmlns:w="{W}" xmlns:r="{R}">' + "".join(notes) + f"</w:{kind}s>",
        f"word/_rels/{kind}s.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{k + 11}" Type="{HYPERLINK}" Target="{html.escape(u)}" TargetMode="External"/>' for k, u in enumerate(rels))
            + "</Relationships>"
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))  # fixed: a rebuild changes no byte that did not change
            zf.writestr(info, content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


# --- the corpus -------------------------------------------------------------------------------------------


CHAPTERS = {
    "en": ["Introduction", "Chapter 1: The Road to Bamako", "Chapter 2: After Barkhane"],
    "fr": ["Introduction", "Chapitre 1 : La route de Bamako", "Chapitre 2 : Après Barkhane"],
}

# (file name, language, notes, how it is written)
SPECS: list[tuple[str, str, int, str]] = [
    ("journal-notes-bracketed.txt", "en", 22, "text:bracket"),
    ("journal-notes-dotted.txt", "en", 20, "text:dotted"),
    ("essay-superscript-notes.txt", "en", 18, "text:superscript"),
    ("book-endnotes-by-chapter.txt", "en", 24, "book"),
    ("livre-notes-par-chapitre.txt", "fr", 20, "book"),
    ("aufsatz-anmerkungen.txt", "de", 20, "text:dotted"),
    ("think-piece-pandoc.md", "en", 22, "md:numbered+linked"),
    ("essay-named-footnotes.md", "en", 20, "md:named"),
    ("notes-chapter-only.md", "en", 18, "md:unreferenced"),
    ("draft-notes-list.md", "es", 20, "md:list"),
    ("artikel-fussnoten.md", "de", 20, "md:numbered"),
    ("pandoc-export.html", "en", 20, "html:pandoc"),
    ("python-markdown-blog.html", "en", 18, "html:python-markdown"),
    ("ghost-post.html", "en", 20, "html:ghost+linked"),
    ("wordpress-footnotes-block.html", "es", 20, "html:wordpress+linked"),
    ("word-save-as-web-page.html", "en", 20, "html:word"),
    ("google-docs-export.html", "en", 20, "html:google-docs+linked"),
    ("spip-article.html", "fr", 20, "html:spip"),
    ("standard-ebooks-endnotes.xhtml", "en", 20, "html:epub"),
    ("substack-post.html", "en", 20, "html:substack+linked"),
    ("wordpress-easy-footnotes.html", "de", 20, "html:easy-footnotes"),
    ("wordpress-modern-footnotes.html", "en", 20, "html:modern-footnotes+linked"),
    ("notes-ordered-list.html", "fr", 18, "html:list"),
    ("word-footnotes.docx", "en", 22, "docx:word"),
    ("word-endnotes.docx", "en", 20, "docx:word-endnotes"),
    ("google-docs-export.docx", "en", 20, "docx:google-docs+linked"),
    ("libreoffice-writer.docx", "en", 20, "docx:libreoffice"),
    ("rapport-word.docx", "fr", 20, "docx:word+linked"),
    ("informe-libreoffice.docx", "es", 20, "docx:libreoffice+linked"),
    ("bericht-google-docs.docx", "de", 20, "docx:google-docs"),
]


def write(d: Draft, how: str) -> bytes:
    family, _, style = how.partition(":")
    style, linked, _ = style.partition("+")
    if linked:
        d.notes = [link_title(e) for e in d.notes]
    if family == "text":
        return text_draft(d, style).encode()
    if family == "book":
        return book_draft(d, CHAPTERS[d.lang]).encode()
    if family == "md":
        return (markdown_list_draft(d) if style == "list" else markdown_draft(d, style)).encode()
    if family == "html":
        return (modern_footnotes_draft(d) if style == "modern-footnotes" else html_draft(d, style)).encode()
    return docx_draft(d, DOCX_TOOLS[style])


def expected(d: Draft) -> list[dict[str, Any]]:
    """Each note's id and its sources' fields; a back-reference names the id of the source it points at."""
    # the sentence each note's marker closes; a notes chapter's definitions have no marker
    claims: list[str | None] = [None] * len(d.notes) if d.name.startswith("notes-chapter") else list(body_sentences(d))
    out = []
    for note_id, e, claim in zip(d.ids, d.notes, claims):
        sources = []
        for s in e.sources:
            s = dict(s)
            if isinstance(s.get("refers_to"), tuple):
                s["refers_to"] = f"{d.ids[s['refers_to'][1]]}.1"
            sources.append(s)
        out.append({"id": note_id, "framing": e.framing, "claim": claim, "sources": sources})
    return out


def build(folder: Path = HERE) -> dict[str, list[dict[str, Any]]]:
    """Writes the drafts into folder/drafts and what they must parse to into folder/expected.json."""
    drawer = Drawer()
    (folder / "drafts").mkdir(exist_ok=True)
    everything = {}
    for name, lang, n, how in SPECS:
        d = compose(name, lang, drawer, n, short_forms=1 if SHORT_FORMS.get(lang) else 0)
        (folder / "drafts" / name).write_bytes(write(d, how))
        everything[name] = expected(d)
    (folder / "expected.json").write_text(json.dumps(everything, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return everything


def main() -> None:
    everything = build()
    print(f"{len(everything)} drafts, {sum(len(v) for v in everything.values())} notes")


if __name__ == "__main__":
    main()
