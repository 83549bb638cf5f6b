"""Evidence carried by an action's form (docs/domain.md "Evidence", "Carried with the
action"): the form read with its files, and the files as the uploads the command attaches to
the record it writes, in the same transaction."""

from __future__ import annotations

from fastapi import Request
from starlette.datastructures import UploadFile

from api.web import session
from api.web.render import csrf_refused
from models.enums import Action
from workflow.evidence import Upload, carried_files
from workflow.evidence_rules import CARRIES, KIND_LABELS

FIELD = "evidence"  # the form's file field (several files for post: one per place, in order)
# What the action's form asks for beside its file field (action → Thai, English).
LABELS = {action.value: KIND_LABELS[kind] for action, kind in CARRIES.items()}


async def form_with_files(request: Request, max_bytes: int) -> tuple[dict[str, str], list[bytes]]:
    """The submitted form as strings and the non-empty files of its evidence field; refuses a
    post without the right CSRF token (403)."""
    async with request.form(max_part_size=max_bytes + 1) as submitted:
        values = {k: v for k, v in submitted.items() if isinstance(v, str)}
        if not session.csrf_valid(request, values.get(session.CSRF_FIELD, "")):
            raise csrf_refused()
        files = []
        for part in submitted.getlist(FIELD):
            if isinstance(part, UploadFile) and part.filename:
                data = await part.read(max_bytes + 1)
                if data:
                    files.append(data)
    return values, files


def uploads(action: Action, files: list[bytes], places: tuple[str, ...]) -> tuple[Upload, ...]:
    """The files as the action's evidence (workflow/evidence.py `carried_files`, the rule the
    JSON API follows too): its kind; the posting photos take the posting places in order."""
    return carried_files(action, files, posting_places=places)
