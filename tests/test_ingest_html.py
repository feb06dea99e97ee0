"""HTML drafts in the footnote conventions of the tools that write them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from citecheck import parse_file

NOTE_A = "Jane Doe, “Mali junta expels French ambassador,” Reuters, January 31, 2022."
NOTE_B = "Ibid., p. 4."

STYLES = {
    "pandoc": f"""<p>The junta acted.<a href="#fn1" class="footnote-ref" id="fnref1" role="doc-noteref"><sup>1</sup></a> It said “go now.”<a href="#fn2" class="footnote-ref" id="fnref2" role="doc-noteref"><sup>2</sup></a></p>
<section class="footnotes" role="doc-endnotes"><hr /><ol>
<li id="fn1"><p>{NOTE_A}<a href="#fnref1" class="footnote-back" role="doc-backlink">↩︎</a></p></li>
<li id="fn2"><p>{NOTE_B}<a href="#fnref2" class="footnote-back">↩︎</a></p></li></ol></section>""",
    "python-markdown": f"""<p>The junta acted.<sup id="fnref:a"><a class="footnote-ref" href="#fn:a">1</a></sup> It said “go now.”<sup id="fnref:b"><a class="footnote-ref" href="#fn:b">2</a></sup></p>
<div class="footnote"><hr /><ol>
<li id="fn:a"><p>{NOTE_A}&#160;<a class="footnote-backref" href="#fnref:a" title="Jump back">&#8617;</a></p></li>
<li id="fn:b"><p>{NOTE_B}&#160;<a class="footnote-backref" href="#fnref:b">&#8617;</a></p></li></ol></div>""",
    "wordpress": f"""<p>The junta acted.<sup data-fn="8f2c" class="fn"><a href="#8f2c" id="8f2c-link">1</a></sup> It said “go now.”<sup data-fn="91ab" class="fn"><a href="#91ab" id="91ab-link">2</a></sup></p>
<ol class="wp-block-footnotes"><li id="8f2c">{NOTE_A} <a href="#8f2c-link" aria-label="Jump to footnote reference 1">↩︎</a></li>
<li id="91ab">{NOTE_B} <a href="#91ab-link">↩︎</a></li></ol>""",
    "word": f"""<div class=WordSection1><p class=MsoNormal>The junta acted.<a style='mso-footnote-id:ftn1' href="#_ftn1" name="_ftnref1" title=""><span class=MsoFootnoteReference>[1]</span></a> It said “go now.”<a style='mso-footnote-id:ftn2' href="#_ftn2" name="_ftnref2" title=""><span class=MsoFootnoteReference>[2]</span></a></p></div>
<div style='mso-element:footnote-list'><br clear=all><hr align=left size=1 width="33%">
<div style='mso-element:footnote' id=ftn1><p class=MsoFootnoteText><a style='mso-footnote-id:ftn1' href="#_ftnref1" name="_ftn1" title=""><span class=MsoFootnoteReference>[1]</span></a> {NOTE_A}</p></div>
<div style='mso-element:footnote' id=ftn2><p class=MsoFootnoteText><a href="#_ftnref2" name="_ftn2">[2]</a> {NOTE_B}</p></div></div>""",
    "generic": f"""<p>The junta acted.<sup><a href="#n1">1</a></sup> It said “go now.”<sup><a href="#n2">2</a></sup></p>
<h2>Notes</h2><ol><li id="n1">{NOTE_A}</li><li id="n2">{NOTE_B}</li></ol>""",
    "generic-unlinked": f"""<p>The junta acted.<sup>1</sup> It said “go now.”<sup>2</sup></p>
<p><strong>Endnotes</strong></p><ol><li>{NOTE_A}</li><li>{NOTE_B}</li></ol>""",
}


@pytest.mark.parametrize("style", sorted(STYLES))
def test_each_convention_gives_notes_markers_and_claims(tmp_path: Path, style: str) -> None:
    path = tmp_path / f"{style}.html"
    path.write_text(f"<!DOCTYPE html><html><head><meta charset=utf-8></head><body>\n{STYLES[style]}\n</body></html>", "utf-8")
    doc = parse_file(str(path))
    assert [n.id for n in doc.notes] == ["1", "2"]
    assert doc.notes[0].text == NOTE_A
    assert doc.notes[1].text == NOTE_B
    first = doc.notes[0].sources[0]
    assert (first.title, first.outlet, first.issued.iso) == ("Mali junta expels French ambassador", "Reuters", "2022-01-31")
    assert doc.notes[1].sources[0].refers_to == "1.1"
    assert [c.text for c in doc.notes[0].claims] == ["The junta acted."]
    assert [c.quotes for c in doc.notes[1].claims] == [["go now."]]
    assert doc.notes[0].claims[0].place.line == 2  # the line of the reference in the file
    assert doc.problems == []


def test_hyperlinked_title_gives_the_url_and_robust_links_the_archive(tmp_path: Path) -> None:
    path = tmp_path / "robust.html"
    path.write_text(
        """<p>Text.<a class="footnote-ref" href="#fn1"><sup>1</sup></a></p><section class="footnotes"><ol>
<li id="fn1"><p>“<a href="https://www.hrw.org/news/2024/10/29/burkina" data-versionurl="https://web.archive.org/web/20241030120000/https://www.hrw.org/news/2024/10/29/burkina" data-versiondate="2024-10-30">Burkina Faso: Massacre Shows Need to Protect Civilians</a>,” Human Rights Watch, October 29, 2024.</p></li>
</ol></section>""",
        "utf-8",
    )
    src = parse_file(str(path)).notes[0].sources[0]
    assert src.url == "https://www.hrw.org/news/2024/10/29/burkina"
    assert src.archive is not None
    assert src.archive.url.startswith("https://web.archive.org/web/20241030120000/")
    assert src.archive.date == "2024-10-30"


def test_link_text_is_the_title_when_nothing_is_quoted(tmp_path: Path) -> None:
    path = tmp_path / "linked.html"
    path.write_text(
        """<p>Text.<a class="footnote-ref" href="#fn1"><sup>1</sup></a></p><section class="footnotes"><ol>
<li id="fn1"><p>Jason Burke, <a href="https://www.theguardian.com/x">Wagner group’s role in Mali</a>, Guardian, 10 January 2022.</p></li>
</ol></section>""",
        "utf-8",
    )
    src = parse_file(str(path)).notes[0].sources[0]
    assert (src.title, src.url, src.authors, src.outlet) == ("Wagner group’s role in Mali", "https://www.theguardian.com/x", ["Jason Burke"], "The Guardian")


def test_ignore_comment_marks_the_note(tmp_path: Path) -> None:
    path = tmp_path / "ignore.html"
    path.write_text(
        """<p>A.<a class="footnote-ref" href="#fn1"><sup>1</sup></a> B.<a class="footnote-ref" href="#fn2"><sup>2</sup></a></p><section class="footnotes"><ol>
<li id="fn1"><p>“One,” BBC, May 1, 2020. <!-- citecheck: ignore --></p></li><li id="fn2"><p>“Two,” BBC, May 2, 2020.</p></li>
</ol></section>""",
        "utf-8",
    )
    doc = parse_file(str(path))
    assert [n.ignored for n in doc.notes] == [True, False]


def test_declared_legacy_charset_is_honoured(tmp_path: Path) -> None:
    path = tmp_path / "latin1.html"
    html = """<html><head><meta charset="iso-8859-1"></head><body><p>Texte.<sup><a href="#n1">1</a></sup></p>
<h2>Notes</h2><ol><li id="n1">« Attaque au café », Le Monde, 3 août 2017.</li></ol></body></html>"""
    path.write_bytes(html.encode("iso-8859-1"))
    src = parse_file(str(path)).notes[0].sources[0]
    assert (src.title, src.issued.iso) == ("Attaque au café", "2017-08-03")


def test_marker_without_note_and_note_without_marker_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "orphans.html"
    path.write_text(
        """<p>A.<a class="footnote-ref" href="#fn9"><sup>9</sup></a></p><section class="footnotes"><ol>
<li id="fn1"><p>“One,” BBC, May 1, 2020.</p></li></ol></section>""",
        "utf-8",
    )
    doc = parse_file(str(path))
    assert sorted(p.code for p in doc.problems) == ["marker-without-note", "note-without-marker"]


CORPUS = Path(__file__).resolve().parent / "corpus" / "html"
EXPECTED = json.loads((CORPUS / "expected.json").read_text("utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_notes_that_references_link_to_are_read_whatever_the_tools_class_names(name: str) -> None:
    """Google Docs' export, SPIP, EPUB endnotes, Substack and WordPress's Easy Footnotes, as they
    write their footnotes: each reference's link finds its note; brackets around a number, a
    note's own number linking back, and Google's link redirects are left out."""
    doc = parse_file(str(CORPUS / name), "html")
    got = [
        {"note": n.id, "title": n.sources[0].title, "outlet": n.sources[0].outlet, "url": n.sources[0].url, "claim": n.claims[0].text if n.claims else None}
        for n in doc.notes
    ]
    assert got == EXPECTED[name]
    assert not [p for p in doc.problems if p.code in ("marker-without-note", "note-without-marker")]
    assert all("[" not in n.text[:3] and "↩" not in n.text for n in doc.notes)


def test_modern_footnotes_inline_notes_are_notes_and_leave_the_sentence(tmp_path: Path) -> None:
    """WordPress's Modern Footnotes writes each note inline, right after its reference, as a tooltip
    the reference's `aria-describedby` names; its `href` is `javascript:void(0)`."""
    scope = "000000000000023f0000000000000000_1234"

    def note(i: int, text: str) -> str:
        return (
            f'<sup class="modern-footnotes-footnote " data-mfn="{i}" data-mfn-post-scope="{scope}"><a href="javascript:void(0)" role="button" '
            f'aria-pressed="false" aria-describedby="mfn-content-{scope}-{i}">{i}</a></sup><span id="mfn-content-{scope}-{i}" role="tooltip" '
            f'class="modern-footnotes-footnote__note" tabindex="0" data-mfn="{i}">{text}</span>'
        )

    path = tmp_path / "post.html"
    first = note(1, "“Mali junta extends transition,” Reuters, June 6, 2022.")
    second = note(2, '<a href="https://www.bbc.com/news/x">“Talks stall,”</a> BBC, June 7, 2022.')
    path.write_text(f'<div class="entry-content"><p>The junta extended the transition.{first} Talks stalled.{second}</p></div>', "utf-8")
    doc = parse_file(str(path))
    assert [(n.id, n.sources[0].title, n.sources[0].url, [c.text for c in n.claims]) for n in doc.notes] == [
        ("1", "Mali junta extends transition", None, ["The junta extended the transition."]),
        ("2", "Talks stall", "https://www.bbc.com/news/x", ["Talks stalled."]),
    ]
    assert doc.problems == []


def test_markdown_it_footnotes_as_ghost_renders_them_have_their_markers(tmp_path: Path) -> None:
    path = tmp_path / "ghost.html"
    path.write_text(
        '<p>Talks stalled.<sup class="footnote-ref"><a href="#fn1" id="fnref1">[1]</a></sup></p><hr class="footnotes-sep">'
        '<section class="footnotes"><ol class="footnotes-list"><li id="fn1" class="footnote-item"><p>“Talks stall,” BBC, June 7, 2022. '
        '<a href="#fnref1" class="footnote-backref">↩︎</a></p></li></ol></section>',
        "utf-8",
    )
    doc = parse_file(str(path))
    assert [(n.id, n.text, [c.text for c in n.claims]) for n in doc.notes] == [("1", "“Talks stall,” BBC, June 7, 2022.", ["Talks stalled."])]
