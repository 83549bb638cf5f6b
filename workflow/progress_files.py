"""The files a progress entry carries (docs/domain.md "Progress", "Public progress"): each
kept in the evidence store by its SHA-256 and named in the entry; a photo (JPEG, PNG) also
gets a **public copy** when the deployment makes them (`PublicCopy`, the same maker as the
posting photos': the picture re-encoded without EXIF, so no GPS position, camera or time),
named in the entry as `public_sha256`. A PDF is never public: an office's documents (a
contract, a delivery note) may name people; the public progress page links the copies only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from models.blobs import BlobStore
from workflow.evidence_rules import MediaType, sniff
from workflow.progress_values import File

PublicCopy = Callable[[bytes, MediaType], bytes]
PUBLIC_MEDIA = frozenset({MediaType.JPEG, MediaType.PNG})


def store_files(
    files: Sequence[File],
    blobs: BlobStore | None,
    max_bytes: int,
    public_copy: PublicCopy | None = None,
) -> list[dict[str, Any]]:
    """Each file checked by its first bytes and stored; its public copy too, for a photo."""
    if files and blobs is None:
        raise RuntimeError("progress files without an evidence store")
    kept: list[dict[str, Any]] = []
    for f in files:
        media = sniff(f.data, max_bytes=max_bytes)
        assert blobs is not None
        name = (f.name or "")[:200] or None
        entry: dict[str, Any] = {
            "sha256": blobs.put(f.data),
            "media_type": media.value,
            "size": len(f.data),
            "name": name,
        }
        if public_copy is not None and media in PUBLIC_MEDIA:
            copy = public_copy(f.data, media)
            entry["public_sha256"] = blobs.put(copy)
            entry["public_size"] = len(copy)
        kept.append(entry)
    return kept


def public_files(entry: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The public copies an entry names (media type and size of each)."""
    return [
        {"sha256": f["public_sha256"], "media_type": f["media_type"], "size": f["public_size"]}
        for f in entry.get("files") or []
        if f.get("public_sha256")
    ]


def holds_public(entries: Iterable[Mapping[str, Any]], sha256: str) -> str | None:
    """The media type of public copy `sha256` if one of the entries names it."""
    for entry in entries:
        for f in public_files(entry):
            if f["sha256"] == sha256:
                return str(f["media_type"])
    return None
