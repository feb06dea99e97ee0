"""Bytes -> text for drafts, refusing binaries rather than guessing."""

from __future__ import annotations

import codecs
import re

from ..errors import InputError

# longest first: the UTF-32 LE mark begins with the UTF-16 LE one
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode_text(path: str, data: bytes, declared: str | None = None) -> str:
    """Decode a draft: BOM, then a declared charset, then UTF-8, then detection.

    A NUL byte outside UTF-16/32 means a binary file, which is refused with its
    offset rather than parsed into nonsense.
    """
    return decode(path, data, declared)[0]


def decode(path: str, data: bytes, declared: str | None = None) -> tuple[str, str, bytes]:
    """(text, encoding, byte-order mark) of a draft, so that a repaired copy can be written in the same bytes."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), encoding, bom
            except UnicodeDecodeError as exc:
                raise InputError(path, f"invalid {encoding} at byte {exc.start + len(bom)}") from None
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise InputError(path, f"binary data (NUL byte at offset {nul}); not a text draft", line=line)
    if declared:
        try:
            return data.decode(declared), declared, b""
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8"), "utf-8", b""
    except UnicodeDecodeError:
        pass
    if invalid_utf8(data) is not None:  # UTF-8 with a few damaged bytes: each becomes U+FFFD, and is reported
        return data.decode("utf-8", errors="replace"), "utf-8", b""
    # here, not at the top: only a draft that is not UTF-8 needs the charset detector
    from charset_normalizer import (
        from_bytes,  # here: ~25 ms to import, and most drafts are UTF-8
    )

    best = from_bytes(data[: 1 << 20]).best()
    if best is None or best.encoding is None:
        raise InputError(path, "not text in any encoding citecheck recognizes")
    return data.decode(best.encoding, errors="replace"), best.encoding, b""


# A valid multi-byte UTF-8 sequence (a curly quote, an accented letter): a file that has them is
# UTF-8, and its few invalid bytes are damage; a file with none is in an 8-bit encoding.
_UTF8_MULTIBYTE_RE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
# Runs of valid UTF-8 (RFC 3629's table); what lies between two runs is invalid
_UTF8_RUN_RE = re.compile(
    rb"(?:[\x00-\x7f]|[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2})+"
)
MAX_DAMAGED_SHARE = 0.001  # of the bytes: more than that is not damage but another encoding
MAX_DAMAGE_PLACES = 20  # places reported one by one; the rest are counted


def invalid_utf8(data: bytes) -> tuple[list[tuple[int, int]], int] | None:
    """For a draft that is UTF-8 but for a few damaged bytes: the (line, column) of the first
    invalid sequences, and how many there are in all. None for valid UTF-8, and for text in
    another encoding (no valid multi-byte sequence, or too many invalid ones). Linear in the file."""
    try:
        data.decode("utf-8")
        return None  # the common case, at C speed: valid UTF-8 needs no scan
    except UnicodeDecodeError:
        pass
    gaps: list[int] = []
    end = 0
    limit = max(8, int(len(data) * MAX_DAMAGED_SHARE))
    for m in _UTF8_RUN_RE.finditer(data):
        if m.start() > end:
            gaps.append(end)
            if len(gaps) > limit:
                return None
        end = m.end()
    if end < len(data):
        gaps.append(end)
    if not gaps or len(gaps) > limit or not _UTF8_MULTIBYTE_RE.search(data):
        return None
    places = []
    line, counted = 1, 0
    for bad in gaps[:MAX_DAMAGE_PLACES]:
        line += data.count(b"\n", counted, bad)
        counted = bad
        line_start = data.rfind(b"\n", 0, bad) + 1
        places.append((line, len(data[line_start:bad].decode("utf-8", "replace")) + 1))
    return places, len(gaps)
