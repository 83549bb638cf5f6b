"""The office's emblem as the papers print it (Pillow only here): an uploaded PNG or JPEG
re-encoded as a plain PNG (no metadata, at most MAX_SIDE pixels a side). SVG and everything
else is refused: an SVG may refer to other files and run scripts in a browser."""

from __future__ import annotations

import base64
import io

from workflow import input_rules as rules
from workflow.errors import reason

MAX_UPLOAD = 5 * 1024 * 1024  # bytes
MAX_SIDE = 800  # pixels; an emblem prints at about 3 cm
MAX_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded


def reencode_emblem(raw: bytes) -> bytes:
    """A clean PNG of the uploaded image, or InvalidInput (422)."""
    from PIL import Image

    if len(raw) > MAX_UPLOAD:
        raise _refuse("too_large", "ไฟล์ตราใหญ่เกินไป (ไม่เกิน 5 MB)", "the emblem file is over 5 MB")
    try:
        with Image.open(io.BytesIO(raw)) as image:
            if image.format not in ("PNG", "JPEG"):
                raise _refuse(
                    "invalid_image", "ตราต้องเป็นไฟล์ PNG หรือ JPEG", "the emblem must be PNG or JPEG"
                )
            if image.width * image.height > MAX_PIXELS:
                raise _refuse("too_large", "ภาพตราใหญ่เกินไป", "the emblem image is too large")
            image.load()
            converted = image.convert("RGBA")
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise _refuse("invalid_image", "ไฟล์ตราเปิดไม่ได้", "the emblem file cannot be read") from error
    converted.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    converted.save(out, format="PNG", optimize=True)
    return out.getvalue()


def png_uri(data: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def _refuse(code: str, th: str, en: str) -> rules.InvalidInput:
    return rules.InvalidInput([reason(code, th, en)], field="emblem")
