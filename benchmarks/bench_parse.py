"""Parse speed and memory on generated drafts (run by hand; prints figures, asserts nothing).

    .venv/bin/python benchmarks/bench_parse.py [--notes 5000] [--format text|markdown|html|docx]

Each draft has one body sentence per note, with the marker glued to it (and to a
year every tenth time, as in "November 20156"), and notes in rotating real
forms: news, journals, reports, posts, videos, books, Ibid., short forms.
"""

from __future__ import annotations

import argparse
import gc
import html
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from citecheck import parse_file

FORMS = [
    "{author}, “{title},” {outlet}, {date}, https://www.example{n}.org/news/{n}.",
    "Editor’s Note: See “{title},” {outlet}, {date}.",
    "{author} and Jane Roe, “{title},” CTC Sentinel {vol}:{iss} ({year}).",
    "“{title},” Human Rights Watch, {date}, p. {page}.",
    "{author}, “{title} …,” X, {date}.",
    "“{title},” France24 via YouTube, {date} (French version).",
    "{author}, {title} (New York: Columbia University Press, {year}), p. {page}.",
    "Ibid.",
    "Ibid., p. {page}.",
    "The full response can be viewed here: https://www.example{n}.org/files/{n}.pdf",
]
WORDS = "Mali Niger junta attack Sahel jihadist front the of in new crisis report civilians army Bamako talks".split()
OUTLETS = ["BBC", "RFI", "Reuters", "Le Monde", "Al Jazeera", "The Guardian", "France24"]
MONTHS = ["January", "March", "May", "July", "September", "October", "December"]


def generate(n: int, fmt: str, seed: int = 7) -> str:
    rnd = random.Random(seed)
    body, notes = [], []
    for i in range(1, n + 1):
        year = rnd.randint(2000, 2025)
        fields = dict(
            n=i,
            author=f"{rnd.choice(['Ann', 'Omar', 'Lea', 'Sam'])} {rnd.choice(['Diallo', 'Keita', 'Smith', 'Nasr'])}",
            title=" ".join(rnd.choice(WORDS) for _ in range(rnd.randint(3, 9))).capitalize(),
            outlet=rnd.choice(OUTLETS),
            date=f"{rnd.choice(MONTHS)} {rnd.randint(1, 28)}, {year}",
            year=year,
            vol=rnd.randint(1, 20),
            iss=rnd.randint(1, 12),
            page=rnd.randint(1, 300),
        )
        notes.append(FORMS[i % len(FORMS)].format(**fields))
        tail = f" in {year}" if i % 10 == 0 else "."
        sentence = f"Officials said “{fields['title'].lower()}” happened{tail}"
        if fmt == "text":
            body.append(sentence + str(i))
        elif fmt == "markdown":
            body.append(sentence + f"[^{i}]")
        elif fmt == "docx":
            body.append(_run(sentence) + f'<w:r><w:footnoteReference w:id="{i}"/></w:r>')
        else:
            body.append(sentence + f'<a href="#fn{i}" class="footnote-ref"><sup>{i}</sup></a>')
    if fmt == "text":
        return "\n".join(" ".join(body[j : j + 5]) for j in range(0, n, 5)) + "\nNotes\n" + "\n".join(f"[{i}] {t}" for i, t in enumerate(notes, 1)) + "\n"
    if fmt == "markdown":
        return "\n\n".join(" ".join(body[j : j + 5]) for j in range(0, n, 5)) + "\n\n" + "\n".join(f"[^{i}]: {t}" for i, t in enumerate(notes, 1)) + "\n"
    if fmt == "docx":  # the document's and the footnotes' XML, which `docx_package` zips
        paras = "".join("<w:p>" + _run(" ").join(body[j : j + 5]) + "</w:p>" for j in range(0, n, 5))
        footnotes = "".join(f'<w:footnote w:id="{i}"><w:p><w:r><w:footnoteRef/></w:r>{_run(" " + t)}</w:p></w:footnote>' for i, t in enumerate(notes, 1))
        return paras + "\0" + footnotes
    paras = "\n".join("<p>" + " ".join(body[j : j + 5]) + "</p>" for j in range(0, n, 5))
    items = "\n".join(f'<li id="fn{i}"><p>{t}</p></li>' for i, t in enumerate(notes, 1))
    return f'<html><body>{paras}<section class="footnotes"><ol>{items}</ol></section></body></html>'


def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{html.escape(text, quote=False)}</w:t></w:r>'


def docx_package(path: str, generated: str) -> None:
    """A Word file of the generated document and footnotes: the parts citecheck reads."""
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    paras, footnotes = generated.split("\0")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        zf.writestr("word/document.xml", f"<w:document {w}><w:body>{paras}</w:body></w:document>")
        zf.writestr("word/footnotes.xml", f"<w:footnotes {w}>{footnotes}</w:footnotes>")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--notes", type=int, default=5000)
    ap.add_argument("--format", choices=["text", "markdown", "html", "docx"], default="text")
    args = ap.parse_args()
    suffix = {"text": ".txt", "markdown": ".md", "html": ".html", "docx": ".docx"}[args.format]
    with tempfile.NamedTemporaryFile("w", suffix=suffix, delete=False, encoding="utf-8") as f:
        path = f.name
        if args.format != "docx":
            f.write(generate(args.notes, args.format))
    if args.format == "docx":
        docx_package(path, generate(args.notes, args.format))
    try:
        parse_file(path)  # warm caches (month tables, outlet registry) so the timing is the steady state
        gc.collect()
        tracemalloc.start()
        t0, c0 = time.perf_counter(), time.process_time()
        doc = parse_file(path)
        wall_traced, cpu = time.perf_counter() - t0, time.process_time() - c0
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        t0 = time.perf_counter()
        parse_file(path)
        wall_untraced = time.perf_counter() - t0
        found = sum(1 for n in doc.notes if n.claims)
        print(f"format={args.format} notes={len(doc.notes)} sources={len(doc.sources)} markers_matched={found} problems={len(doc.problems)}")
        print(f"size={os.path.getsize(path):,} bytes")
        print(f"wall={wall_untraced:.3f}s ({len(doc.notes) / wall_untraced:,.0f} notes/s); traced: wall={wall_traced:.3f}s cpu={cpu:.3f}s")
        print(f"peak traced Python memory={peak / 1e6:.1f} MB; process max RSS={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f} MB")
    finally:
        os.unlink(path)


if __name__ == "__main__":
    main()
