"""Real files for the evidence tests and the bench: JPEG photos with EXIF (a GPS position, a
camera), PNGs, PDFs, and a HEIC header as a phone writes it."""

from __future__ import annotations

import io
import random

from PIL import Image

GPS_IFD = 0x8825
MAKE = 0x010F


def photo(seed: int = 0, size: tuple[int, int] = (640, 480), *, gps: bool = True) -> bytes:
    """A JPEG photo of noise (incompressible, as a real photo), with EXIF camera and GPS."""
    rnd = random.Random(seed)
    image = Image.frombytes("RGB", size, rnd.randbytes(size[0] * size[1] * 3))
    exif = Image.Exif()
    exif[MAKE] = "PhoneMaker"
    if gps:
        ifd = exif.get_ifd(GPS_IFD)
        ifd[1] = "N"
        ifd[2] = (16.0, 26.0, 12.5)
        ifd[3] = "E"
        ifd[4] = (100.0, 21.0, 3.0)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


def png(seed: int = 0) -> bytes:
    image = Image.new("RGB", (64, 48), (seed % 256, 40, 90))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def pdf(text: str = "minutes") -> bytes:
    """A small valid one-page PDF."""
    body = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(body), body),
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (i, obj))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    )
    return out.getvalue()


HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64


def has_gps(data: bytes) -> bool:
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        return bool(exif.get_ifd(GPS_IFD)) or MAKE in exif
