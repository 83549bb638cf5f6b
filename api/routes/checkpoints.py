"""The public log, without sign-in: signed checkpoints, the public keys, and proofs.

Anyone may fetch these: they reveal sizes, hashes and signatures, never a row. An auditor
keeps a checkpoint's note, later asks for a consistency proof from its size to a newer
checkpoint's, and checks both with the public key alone (docs/integrity.md, "Checking a proof
without trusting the server").
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Query, Response

from api.deps import ServicesDep
from api.keys import process_signer, published_keys
from api.routes.common import problems
from api.routing import Routes
from api.schemas.checkpoints import (
    CheckpointList,
    CheckpointRead,
    ConsistencyRead,
    InclusionRead,
    Size,
)
from models.db import read_session
from models.log import LogCheckpoint
from models.migrations.append_only import APPEND_ONLY_TABLES
from workflow import log, merkle
from workflow.errors import NotFound, reason

router = Routes(prefix="/checkpoints", tags=["checkpoints"], responses=problems(422))
HistoryTable = Literal[APPEND_ONLY_TABLES]  # type: ignore[valid-type]
CONSISTENCY = "/api/v1/checkpoints/consistency?first={first}&second={second}"
INCLUSION = "/api/v1/checkpoints/inclusion?table={table}&id={id}&size={size}"


def _read(point: LogCheckpoint) -> CheckpointRead:
    return CheckpointRead(
        id=point.id or 0,
        size=point.size,
        root=point.root,
        signed_at=point.signed_at,
        key_name=point.key_name,
        key_id=point.key_id,
        note=point.note,
    )


@router.get("", response_model=CheckpointList)
def list_checkpoints(services: ServicesDep) -> CheckpointList:
    """Every signed checkpoint (oldest first) and the public keys that check them."""
    with read_session(services.engine) as db:
        points = log.checkpoints(db)
        size = log.log_size(db)
    signer = process_signer(services.settings.signing_key_file)
    return CheckpointList(
        log_size=size,
        checkpoints=[_read(p) for p in points],
        public_keys=published_keys(signer, services.settings.verifier_keys),
        consistency=CONSISTENCY,
        inclusion=INCLUSION,
    )


def _not_found(code: str, th: str, en: str) -> NotFound:
    return NotFound([reason(code, th, en)])


def _no_checkpoint(size: int) -> NotFound:
    return _not_found(
        "checkpoint_not_found",
        f"ไม่มีจุดตรวจสอบ (checkpoint) ที่มีขนาด {size} รายการ",
        f"no checkpoint of size {size}",
    )


@router.get("/consistency", response_model=ConsistencyRead, responses=problems(404))
def consistency(
    services: ServicesDep,
    response: Response,
    first: Annotated[Size, Query(description="the smaller size (a kept checkpoint's)")],
    second: Annotated[Size, Query(description="a signed checkpoint's size, ≥ first")],
) -> ConsistencyRead:
    """RFC 9162 2.1.4: the proof that the checkpoint of size `second` extends the log of size
    `first`. 404 `checkpoint_not_found` when no checkpoint has size `second`;
    404 `no_consistency_proof` when `first` > `second` (a log never shrinks)."""
    if first > second:
        raise _not_found(
            "no_consistency_proof",
            "ไม่มีหลักฐานจากบันทึกที่ใหญ่กว่าไปยังบันทึกที่เล็กกว่า (first ต้องไม่เกิน second)",
            "no proof goes from a larger log to a smaller one (first must not exceed second)",
        )
    with read_session(services.engine) as db:
        newer = log.checkpoint_of_size(db, second)
        if newer is None:
            raise _no_checkpoint(second)
        older = log.checkpoint_of_size(db, first)
        leaves = log.frozen_leaves(db, second)
    # Both sizes are signed and the leaves frozen: the same question always gets this answer.
    response.headers["Cache-Control"] = "public, max-age=86400"
    return ConsistencyRead(
        first=first,
        second=second,
        first_root=merkle.tree_head(leaves[:first]).hex(),
        second_root=newer.root,
        proof=[p.hex() for p in merkle.consistency_proof(first, leaves)],
        first_checkpoint=older.note if older else None,
        second_checkpoint=newer.note,
    )


@router.get("/inclusion", response_model=InclusionRead, responses=problems(404))
def inclusion(
    services: ServicesDep,
    table: Annotated[HistoryTable, Query(description="a history table")],
    id: Annotated[Size, Query(description="the row's id")],
    size: Annotated[Size | None, Query(description="a checkpoint's size; default latest")] = None,
) -> dict[str, Any]:
    """RFC 9162 2.1.3: the proof that a history row is in a signed checkpoint.
    404 `checkpoint_not_found` when no checkpoint has size `size`; 404 `not_in_checkpoint`
    when the checkpoint does not cover the row (yet)."""
    with read_session(services.engine) as db:
        if size is not None and log.checkpoint_of_size(db, size) is None:
            raise _no_checkpoint(size)
        try:
            return log.inclusion(db, table=table, row_id=id, size=size)
        except LookupError as err:
            raise _not_found(
                "not_in_checkpoint",
                "แถวนี้ยังไม่อยู่ในจุดตรวจสอบที่ลงนามแล้ว",
                str(err),
            ) from err
