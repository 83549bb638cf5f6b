"""Evidence attached to a plan's actions (docs/domain.md "Evidence"): the attach command and
the reads, each checking that the caller may see the plan.

`attach` is one command in the caller's transaction: it checks the file by its first bytes and
size (workflow/evidence_rules.py), locks and loads the plan if the actor may see it, refuses
anyone but staff, committee or executive of the plan's organization, checks that the record
belongs to the plan and that the kind proves its action, makes the public copy (the
`PublicCopy` the api hands in: documents/evidence_images.py), stores both files in the
content-addressed store and appends the entry (a log entry by trigger). Files are written
before the commit; a rolled-back attach leaves an unreferenced file, which nothing serves and
`localplan evidence gc` removes after its grace period (workflow/evidence_gc.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, or_, select

from models.audit import TransitionRecord
from models.blobs import SHA256, BlobStore
from models.clock import today_bangkok
from models.enums import Action
from models.evidence import Evidence, EvidenceKind
from models.plan import Plan
from models.roles import ORG_ROLES
from workflow import input_rules as rules
from workflow.actors import Actor
from workflow.command_base import MAX_ID, Context, load_visible, sees
from workflow.errors import Forbidden, NotFound, Refusal, reason
from workflow.evidence_rules import (
    CARRIES,
    DEFAULT_MAX_BYTES,
    PLACE_MAX,
    PUBLIC_KINDS,
    MediaType,
    check_fits,
    clean_kind,
    clean_url,
    sniff,
)

ATTACH_ACTION = "attach_evidence"  # what an unseen attempt is counted as (api/throttling.py)
PublicCopy = Callable[[bytes, MediaType], bytes]


@dataclass(frozen=True)
class Upload:
    """What the clerk sends: the file, the record it proves, its kind, place and URL."""

    data: bytes
    record_id: int
    kind: str
    place: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Attaching:
    """How files are handled in this deployment: the store, the public copy maker, the limit."""

    store: BlobStore
    public_copy: PublicCopy
    max_bytes: int = DEFAULT_MAX_BYTES


def attach(
    session: Session,
    ctx: Context,
    *,
    plan_id: int,
    actor: Actor,
    upload: Upload,
    how: Attaching,
    with_action: bool = False,
) -> Evidence:
    """Attach one file to a record of the plan (docs/domain.md "Evidence"); `with_action`:
    carried by the action's own request, so never late."""
    media = sniff(upload.data, max_bytes=how.max_bytes)
    kind = clean_kind(upload.kind)
    place = rules.optional_text(upload.place, field="place", max_length=PLACE_MAX)
    url = clean_url(upload.url)
    refusal = Refusal(ATTACH_ACTION, actor.user_id, actor.username, actor.role, plan_id=plan_id)
    _, plan = load_visible(session, plan_id, actor, refusal)
    held = actor.holds(actor.role, plan.organization_id)  # a membership in force
    held = held and actor.organization_id == plan.organization_id
    if actor.role not in ORG_ROLES or not held:
        raise Forbidden(
            [
                reason(
                    "evidence_not_attacher",
                    "เฉพาะเจ้าหน้าที่ คณะกรรมการ หรือผู้บริหารขององค์กรเจ้าของแผนจึงแนบหลักฐานได้",
                    "only staff, committee or executive of the plan's organization attach evidence",
                )
            ]
        )
    record = _record_of(session, plan_id, upload.record_id)
    check_fits(kind, record.action, place, url)
    public = how.public_copy(upload.data, media) if kind in PUBLIC_KINDS else None
    digest = how.store.put(upload.data)
    public_digest = None if public is None else how.store.put(public)
    now = ctx.clock.now()
    entry = Evidence(
        plan_id=plan_id,
        record_id=upload.record_id,
        kind=kind,
        place=place,
        url=url,
        media_type=media.value,
        sha256=digest,
        size=len(upload.data),
        public_sha256=public_digest,
        public_size=None if public is None else len(public),
        attached_at=now,
        late=not with_action and today_bangkok(ctx.clock) > record.effective_on,
        actor_user_id=actor.user_id,
        actor_username=actor.username,
        actor_role=actor.role,
    )
    session.add(entry)
    session.flush()
    return entry


def carried_files(
    action: Action,
    files: Sequence[bytes],
    *,
    kinds: Sequence[str] = (),
    places: Sequence[str] = (),
    posting_places: Sequence[str] = (),
) -> tuple[Upload, ...]:
    """The files an action's request carries, as its uploads (docs/domain.md "Carried with
    the action"): `kinds` and `places` one per file when given; a file without a kind is the
    action's own evidence (evidence_rules.CARRIES), and posting photos without places take the
    posting places in the order they are typed."""
    if not files:
        return ()
    for name, given in (("evidence_kind", kinds), ("evidence_place", places)):
        if given and len(given) != len(files):
            raise rules.InvalidInput(
                [
                    reason(
                        "evidence_parts_mismatch",
                        f"จำนวน {name} ต้องเท่ากับจำนวนไฟล์หลักฐาน ({len(files)})",
                        f"give one {name} per evidence file ({len(files)}), or none",
                    )
                ],
                field=name,
            )
    own = CARRIES.get(action, EvidenceKind.OTHER)
    chosen = list(kinds) or [own.value] * len(files)
    named: list[str | None] = [p.strip() or None for p in places] if places else []
    if not named:
        queue = [p for p in posting_places if p.strip()]
        for kind in chosen:
            photo = kind == EvidenceKind.POSTING_PHOTO.value
            named.append(queue.pop(0) if photo and queue else None)
    return tuple(Upload(d, 0, k, p) for d, k, p in zip(files, chosen, named, strict=True))


def carried(uploads: Sequence[Upload]) -> tuple[tuple[str, str | None], ...]:
    """What the `evidence_carried` guard looks at: each carried file's kind and place."""
    return tuple((u.kind, (u.place or "").strip() or None) for u in uploads)


def carry(
    session: Session,
    ctx: Context,
    *,
    plan_id: int,
    actor: Actor,
    record_id: int,
    uploads: Sequence[Upload],
    how: Attaching | None,
) -> None:
    """Attach the files an action carried to the record it just wrote, in its transaction."""
    if uploads and how is None:
        raise RuntimeError("evidence carried without an evidence store")
    for upload in uploads:
        assert how is not None
        bound = Upload(upload.data, record_id, upload.kind, upload.place, upload.url)
        attach(session, ctx, plan_id=plan_id, actor=actor, upload=bound, how=how, with_action=True)


def _record_of(session: Session, plan_id: int, record_id: int) -> TransitionRecord:
    record = session.get(TransitionRecord, record_id) if 0 < record_id <= MAX_ID else None
    if record is None or record.plan_id != plan_id:
        raise rules.InvalidInput(
            [reason("record_not_found", "ไม่พบรายการดำเนินการนี้ในแผน", "no such record of the plan")],
            field="record_id",
        )
    return record


def _visible(session: Session, plan_id: int, actor: Actor) -> int:
    """The plan's organization, if the actor may see the plan (else plan_not_found)."""
    plan = session.get(Plan, plan_id) if 0 < plan_id <= MAX_ID else None
    if plan is None or not sees(actor, session, plan.organization_id):
        raise NotFound([reason("plan_not_found", "ไม่พบแผน", "no such plan")])
    return plan.organization_id


def list_for_plan(session: Session, *, plan_id: int, actor: Actor) -> list[Evidence]:
    """The plan's evidence, oldest first, for anyone who may see the plan."""
    _visible(session, plan_id, actor)
    return list_unchecked(session, plan_id)


def list_unchecked(session: Session, plan_id: int) -> list[Evidence]:
    """The plan's evidence (callers have checked access: the board, the pack)."""
    query = select(Evidence).where(Evidence.plan_id == plan_id).order_by(col(Evidence.id))
    return list(session.exec(query))


def public_of(session: Session, plan_id: int) -> list[Evidence]:
    """What the public board shows of a plan: the public copies."""
    return [e for e in list_unchecked(session, plan_id) if e.public_sha256 is not None]


@dataclass(frozen=True)
class Served:
    sha256: str
    media_type: str
    data: bytes


def file_for(session: Session, *, sha256: str, actor: Actor, store: BlobStore) -> Served:
    """A stored file (original or public copy), if the actor may see a plan holding it;
    otherwise the same `evidence_not_found` as for a hash nobody stored."""
    holders = _holders(session, sha256)
    for entry in holders:
        if _may_see(session, entry.plan_id, actor):
            data = store.get(sha256)
            if data is None:
                break
            return Served(sha256, entry.media_type, data)
    raise NotFound([reason("evidence_not_found", "ไม่พบไฟล์หลักฐาน", "no such evidence file")])


def public_file(
    session: Session, *, sha256: str, store: BlobStore, plan_ids: Sequence[int]
) -> Served | None:
    """A public copy held by one of the plans the public board shows."""
    if not SHA256.match(sha256):
        return None
    query = select(Evidence).where(
        Evidence.public_sha256 == sha256, col(Evidence.plan_id).in_(list(plan_ids))
    )
    entry = session.exec(query).first()
    data = None if entry is None else store.get(sha256)
    return None if entry is None or data is None else Served(sha256, entry.media_type, data)


def _holders(session: Session, sha256: str) -> list[Evidence]:
    if not SHA256.match(sha256):
        return []
    query = select(Evidence).where(or_(Evidence.sha256 == sha256, Evidence.public_sha256 == sha256))
    return list(session.exec(query))


def _may_see(session: Session, plan_id: int, actor: Actor) -> bool:
    try:
        _visible(session, plan_id, actor)
    except NotFound:
        return False
    return True


__all__ = [
    "ATTACH_ACTION",
    "Attaching",
    "EvidenceKind",
    "PublicCopy",
    "Served",
    "Upload",
    "attach",
    "carried",
    "carried_files",
    "carry",
    "file_for",
    "list_for_plan",
    "public_file",
]
