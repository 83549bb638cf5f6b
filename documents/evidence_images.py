"""Photos taken as evidence, decoded and re-encoded with Pillow (the only module here that
uses it besides documents/pdf_emblem.py): the public copy of a posting photo is the picture
alone, turned upright, without EXIF (no GPS position, no camera serial, no time), so what the
public board shows says no more than the picture (docs/privacy.md)."""

from __future__ import annotations

import io
import warnings

from workflow import input_rules as rules
from workflow.errors import reason
from workflow.evidence_rules import MediaType

MAX_PIXELS = 60_000_000  # a 60-megapixel photo; larger is refused before decoding


def public_copy(data: bytes, media: MediaType) -> bytes:
    """The copy the public sees: a PDF as it is; a JPEG or PNG decoded and written anew
    without its metadata. A picture that does not decode is refused."""
    if media is MediaType.PDF:
        if b"%%EOF" not in data[-2048:]:
            raise _broken()
        return data
    from PIL import Image, ImageOps

    try:
        with warnings.catch_warnings():  # the size is checked below, before decoding
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data))
        with opened as image:
            if image.width * image.height > MAX_PIXELS:
                raise rules.InvalidInput(
                    [reason("evidence_too_large", "ภาพมีขนาดใหญ่เกินไป", "too many pixels")],
                    field="file",
                )
            image.load()
            upright = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            if media is MediaType.JPEG:
                upright.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
            else:
                upright.save(out, "PNG", optimize=True)
            return out.getvalue()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _broken() from None


def _broken() -> rules.InvalidInput:
    return rules.InvalidInput(
        [reason("evidence_unreadable", "เปิดไฟล์ไม่ได้ ไฟล์อาจเสียหาย", "the file does not decode")],
        field="file",
    )
