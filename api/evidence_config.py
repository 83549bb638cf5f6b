"""How this deployment handles evidence files, from its settings: the store, the public
copies (documents/evidence_images.py, loaded on first use) and the size limit."""

from __future__ import annotations

from api.settings import Settings
from workflow.evidence import Attaching
from workflow.evidence_rules import MB, MediaType


def _public_copy(data: bytes, media: MediaType) -> bytes:
    from documents.evidence_images import public_copy

    return public_copy(data, media)


def attaching(settings: Settings) -> Attaching:
    return Attaching(
        store=settings.evidence_store(),
        public_copy=_public_copy,
        max_bytes=int(settings.evidence_max_mb * MB),
    )
