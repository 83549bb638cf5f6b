"""The PDF's text layer corrected after WeasyPrint has written it (docs/domain.md
"Documents": SARA AM; documents/pdf_fonts.py says why). pypdf only here and in the tests."""

from __future__ import annotations

import io
import re
from typing import Any

from documents import pdf_fonts

_ENTRY = re.compile(rb"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]*)>")
_BFCHAR = re.compile(rb"\d+ beginbfchar.*endbfchar", re.S)
FIXED_ID = b"localplan-document"  # the file identifier: fixed, so same inputs, same bytes


def correct_text_layer(pdf: bytes) -> bytes:
    """The same PDF with the ToUnicode map of each fixed-up Thai font rebuilt."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    done: set[int] = set()
    for page in writer.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            face = _face(str(font.get("/BaseFont", "")))
            unicode_ref = font.get("/ToUnicode")
            if face is None or unicode_ref is None or id(unicode_ref.get_object()) in done:
                continue
            stream = unicode_ref.get_object()
            done.add(id(stream))
            stream.set_data(_rewrite(stream.get_data(), face))
    writer._ID = ArrayObject([ByteStringObject(FIXED_ID), ByteStringObject(FIXED_ID)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _face(base_font: str) -> str | None:
    """'/ABCDEF+LocalplanThai-Bold' → 'bold'; None for a font that is not ours."""
    name = base_font.rsplit("+", 1)[-1]
    if name == pdf_fonts.FAMILY:
        return "regular"
    if name == f"{pdf_fonts.FAMILY}-Bold":
        return "bold"
    return None


def _rewrite(cmap: bytes, face: str) -> bytes:
    """The CMap with its bfchar entries (glyph → text) corrected, 100 to a block."""
    entries = b"".join(_BFCHAR.findall(cmap))
    written = {
        int(g, 16): bytes.fromhex(t.decode()).decode("utf-16-be")
        for g, t in _ENTRY.findall(entries)
    }
    return _many(cmap, pdf_fonts.text_map(face, written))


def _many(cmap: bytes, fixed: dict[int, str]) -> bytes:
    """The CMap's head and the entries in blocks of at most 100 (the format's limit)."""
    items = sorted(fixed.items())
    blocks: list[bytes] = []
    for start in range(0, len(items), 100):
        chunk = items[start : start + 100]
        body = [f"<{g:04x}> <{t.encode('utf-16-be').hex()}>".encode() for g, t in chunk]
        blocks.append(b"\n".join([f"{len(chunk)} beginbfchar".encode(), *body, b"endbfchar"]))
    head = cmap.split(b"endcodespacerange", 1)[0] + b"endcodespacerange\n"
    return (
        head
        + b"\n".join(blocks)
        + b"\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"
    )


def extract(pdf: bytes) -> list[str]:
    """Each page's text as a reader gets it (used by the tests and `document` checks)."""
    from pypdf import PdfReader

    reader: Any = PdfReader(io.BytesIO(pdf))
    return [page.extract_text() or "" for page in reader.pages]


def extract_text(pdf: bytes) -> str:
    """The text layer of every page, as a reader copies it (verify-pack reads the compliance
    summary's fingerprint this way)."""
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
