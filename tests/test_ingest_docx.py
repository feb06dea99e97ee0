"""DOCX drafts: footnotes and endnotes from the package parts, hyperlinks from relationships."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from citecheck import parse_file
from citecheck.errors import InputError
from citecheck.ingest import docx as docx_reader

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _docx(path: Path, document_body: str, footnotes: str = "", endnotes: str = "", footnote_rels: str = "") -> Path:
    head = '<?xml version="1.0" encoding="UTF-8"?>'
    parts = {
        "[Content_Types].xml": head + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "word/document.xml": head + f'<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>{document_body}</w:body></w:document>',
    }
    if footnotes:
        parts["word/footnotes.xml"] = (
            head + f'<w:footnotes xmlns:w="{W}" xmlns:r="{R}">'
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
            f"{footnotes}</w:footnotes>"
        )
    if endnotes:
        parts["word/endnotes.xml"] = head + f'<w:endnotes xmlns:w="{W}" xmlns:r="{R}">{endnotes}</w:endnotes>'
    if footnote_rels:
        parts["word/_rels/footnotes.xml.rels"] = (
            head + f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{footnote_rels}</Relationships>'
        )
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in parts.items():
            zf.writestr(name, text)
    return path


def r(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def test_footnotes_endnotes_hyperlinks_and_reference_order(tmp_path: Path) -> None:
    body = f'<w:p>{r("First claim.")}<w:r><w:footnoteReference w:id="7"/></w:r>{r(" Second “quoted words.”")}<w:r><w:endnoteReference w:id="2"/></w:r></w:p>'
    footnotes = (
        f'<w:footnote w:id="7"><w:p><w:r><w:footnoteRef/></w:r>{r(" Jason Burke, “")}'
        f'<w:hyperlink r:id="rId5">{r("Wagner group’s role in Mali")}</w:hyperlink>{r(",” Guardian, 10 January 2022.")}</w:p></w:footnote>'
    )
    endnotes = f'<w:endnote w:id="2"><w:p>{r("Ibid., p. 3.")}</w:p></w:endnote>'
    rels = '<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://www.theguardian.com/world/2022/jan/10/wagner" TargetMode="External"/>'
    doc = parse_file(str(_docx(tmp_path / "d.docx", body, footnotes, endnotes, rels)))
    assert [n.id for n in doc.notes] == ["1", "2"]  # numbered in order of reference, not by XML id
    first = doc.notes[0].sources[0]
    assert first.title == "Wagner group’s role in Mali"
    assert first.url == "https://www.theguardian.com/world/2022/jan/10/wagner"
    assert doc.notes[0].place.xpath == "word/footnotes.xml#footnote[@w:id='7']"
    assert doc.notes[1].sources[0].refers_to == "1.1"
    assert doc.notes[1].claims[0].quotes == ["quoted words."]
    assert doc.notes[0].claims[0].text == "First claim."


def test_not_a_zip_is_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.docx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(InputError, match="corrupt DOCX"):
        parse_file(str(path))


def test_zip_without_document_xml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(InputError, match="word/document.xml is missing"):
        parse_file(str(path))


def test_malformed_xml_names_the_part(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("word/document.xml", "<w:document><unclosed>")
    with pytest.raises(InputError, match="word/document.xml is not well-formed"):
        parse_file(str(path))


def test_zip_bomb_is_refused_before_it_is_inflated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(docx_reader, "MAX_PART_BYTES", 4 * 1024 * 1024)
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"<" + b"a" * (16 * 1024 * 1024))  # 16 MB of 'a' compresses to ~16 KB
    assert path.stat().st_size < 100_000
    with pytest.raises(InputError, match="zip bomb"):
        parse_file(str(path))


def test_document_without_notes_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no footnotes"):
        parse_file(str(_docx(tmp_path / "plain.docx", f"<w:p>{r('Just text.')}</w:p>")))


# A paragraph's pieces: runs of text, tabs, breaks, hyphens, note references, and hyperlinks
# (to a relationship or an anchor, or to nothing) holding pieces of their own, nested or not.
_WORDS = st.text(alphabet="abc “”.,é ", min_size=0, max_size=6)
_PIECES = st.recursive(
    st.one_of(
        _WORDS.map(r),
        st.sampled_from(["<w:r><w:tab/></w:r>", "<w:r><w:br/></w:r>", "<w:r><w:noBreakHyphen/></w:r>", '<w:r><w:footnoteReference w:id="3"/></w:r>']),
    ),
    lambda inner: st.tuples(st.sampled_from(['r:id="rId1"', 'w:anchor="sec"', 'r:id="rIdNone"']), st.lists(inner, max_size=4)).map(
        lambda a: f"<w:hyperlink {a[0]}>{''.join(a[1])}</w:hyperlink>"
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=8))
def test_each_hyperlink_is_found_where_its_text_stands_in_the_paragraph(pieces: list[str]) -> None:
    xml = f'<w:p xmlns:w="{W}" xmlns:r="{R}">{"".join(pieces)}</w:p>'
    refs: list[int] = []
    text, links = docx_reader._paragraph_text(etree.fromstring(xml), {"rId1": "https://example.org/a"}, lambda kind, nid, at: refs.append(at))
    assert [link.url for link in links] == [
        "https://example.org/a" if 'r:id="rId1"' in a else "#sec" for a in re.findall(r"<w:hyperlink ([^>]*)>", xml) if "rIdNone" not in a
    ]
    for link in links:
        assert text[link.start : link.end] == link.text
    assert len(refs) == xml.count("footnoteReference")
    assert all(0 <= at <= len(text) for at in refs)


def test_a_hyphen_or_tab_inside_a_hyperlinked_title_is_kept(tmp_path: Path) -> None:
    body = f'<w:p>{r("Claim.")}<w:r><w:footnoteReference w:id="1"/></w:r></w:p>'
    footnotes = (
        f'<w:footnote w:id="1"><w:p>{r("Ann Diallo, “")}<w:hyperlink r:id="rId1">{r("A well")}<w:r><w:noBreakHyphen/></w:r>'
        f"{r('known')}<w:r><w:tab/></w:r>{r('report')}</w:hyperlink>{r(',” Guardian, 10 January 2022.')}</w:p></w:footnote>"
    )
    rels = '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://example.org/r" TargetMode="External"/>'
    note = parse_file(str(_docx(tmp_path / "d.docx", body, footnotes, footnote_rels=rels))).notes[0]
    assert note.links[0].text == "A well-known report"
    assert note.sources[0].title == "A well-known report"


@pytest.mark.parametrize(
    "doctype, reference",
    [
        ('<!DOCTYPE w:footnotes [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;"),  # external: never resolved
        ('<!DOCTYPE w:footnotes [<!ENTITY ext SYSTEM "http://127.0.0.1:9/x">]>', "&ext;"),
        ("<!DOCTYPE w:footnotes>", "&undeclared;"),
    ],
)
def test_text_after_an_entity_reference_in_a_note_is_kept_and_the_entity_never_resolved(tmp_path: Path, doctype: str, reference: str) -> None:
    path = _docx(tmp_path / "d.docx", f'<w:p>{r("Claim.")}<w:r><w:footnoteReference w:id="1"/></w:r></w:p>')
    footnotes = (
        f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<w:footnotes xmlns:w="{W}" xmlns:r="{R}">'
        f'<w:footnote w:id="1"><w:p>{r(f"John Smith, {reference} “Example Report,” Example, 2020.")}</w:p></w:footnote></w:footnotes>'
    )
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("word/footnotes.xml", footnotes)
    doc = parse_file(str(path))
    text = doc.notes[0].text
    assert "“Example Report,” Example, 2020." in text and "root:" not in text
    assert doc.notes[0].sources[0].title == "Example Report"


def test_links_written_as_hyperlink_fields_are_links(tmp_path: Path) -> None:
    """LibreOffice and older Word write a link as a field: its code (`HYPERLINK "url"`) between
    fldChar begin and separate, its text between separate and end; or as a simple field."""
    body = f'<w:p>{r("First.")}<w:r><w:footnoteReference w:id="1"/></w:r>{r(" Second.")}<w:r><w:footnoteReference w:id="2"/></w:r></w:p>'
    complex_field = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> HYPERLINK "https://www.hrw.org/news/x" </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + r("Burkina Faso: Massacre") + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    simple_field = '<w:fldSimple w:instr=" HYPERLINK &quot;https://www.bbc.com/news/y&quot; ">' + r("Mali attack") + "</w:fldSimple>"
    footnotes = (
        f'<w:footnote w:id="1"><w:p>{r("“")}{complex_field}{r(",” Human Rights Watch, October 29, 2024.")}</w:p></w:footnote>'
        f'<w:footnote w:id="2"><w:p>{r("“")}{simple_field}{r(",” BBC, September 17, 2024.")}</w:p></w:footnote>'
    )
    doc = parse_file(str(_docx(tmp_path / "d.docx", body, footnotes)))
    assert [(s.title, s.url) for n in doc.notes for s in n.sources] == [
        ("Burkina Faso: Massacre", "https://www.hrw.org/news/x"),
        ("Mali attack", "https://www.bbc.com/news/y"),
    ]
