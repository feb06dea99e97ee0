"""Bytes -> text for drafts, refusing binaries rather than guessing."""

from __future__ import annotations

import codecs

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
                return data[len(bom):].decode(encoding), encoding, bom
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
    from charset_normalizer import from_bytes  # here: ~25 ms to import, and most drafts are UTF-8

    best = from_bytes(data[: 1 << 20]).best()
    if best is None or best.encoding is None:
        raise InputError(path, "not text in any encoding citecheck recognizes")
    return data.decode(best.encoding, errors="replace"), best.encoding, b""
