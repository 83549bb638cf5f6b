"""The body of `POST /api/v1/plans/{id}/actions/{action}` and of a deadline's extension
(docs/api.md "Actions carrying evidence"): JSON as always, or multipart/form-data carrying the
action's evidence files.

A multipart body holds the JSON body in its `body` part, files in `evidence` parts and, one per
file when given, `evidence_kind` and `evidence_place` parts. The files go to the same command
as the web form's (workflow/commands.py `perform`, `evidence=`), so the `evidence_carried`
guard and the attach rules run in the action's own transaction, on every surface alike."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import Message
from typing import Any, Generic, TypeVar

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from starlette.datastructures import UploadFile

from models.evidence import EvidenceKind
from workflow import input_rules as rules
from workflow.errors import reason

BODY, FILES, KINDS, PLACES = "body", "evidence", "evidence_kind", "evidence_place"
MAX_FILES = 40  # the posting places' limit (20) twice over, and a little more
MULTIPART = "multipart/form-data"
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class ActionBody(Generic[M]):
    """The action's JSON body and what its request carried (raw: the core checks them)."""

    request: M
    files: tuple[bytes, ...] = ()
    kinds: tuple[str, ...] = ()
    places: tuple[str, ...] = ()


async def read(request: Request, model: type[M], *, max_bytes: int) -> ActionBody[M]:
    """The body by its media type; 422 `validation_error` as FastAPI gives for a JSON body."""
    message = Message()
    message["content-type"] = request.headers.get("content-type", "application/json")
    if message.get_content_type() == MULTIPART:
        return await _multipart(request, model, max_bytes)
    if message.get_content_maintype() != "application" or not (
        message.get_content_subtype() == "json" or message.get_content_subtype().endswith("+json")
    ):
        raise _invalid((BODY,), "model_attributes_type", "a JSON object is expected")
    return ActionBody(_parsed(model, await request.body(), (BODY,)))


def _parsed(model: type[M], raw: bytes, loc: tuple[str, ...]) -> M:
    if not raw.strip():
        raise _invalid(loc, "missing", "Field required")
    try:
        return model.model_validate_json(raw)
    except ValidationError as error:
        raise RequestValidationError(
            [{**e, "loc": (*loc, *e["loc"])} for e in error.errors()]
        ) from None


def _invalid(loc: tuple[str, ...], kind: str, message: str) -> RequestValidationError:
    return RequestValidationError([{"type": kind, "loc": loc, "msg": message, "input": None}])


async def _multipart(request: Request, model: type[M], max_bytes: int) -> ActionBody[M]:
    async with request.form(max_files=MAX_FILES, max_fields=4 * MAX_FILES) as form:
        unknown = sorted({k for k in form if k not in (BODY, FILES, KINDS, PLACES)})
        if unknown:
            raise _invalid((BODY, unknown[0]), "extra_forbidden", "Extra inputs are not permitted")
        bodies = form.getlist(BODY)
        if len(bodies) != 1 or not isinstance(bodies[0], str):
            raise _invalid((BODY, BODY), "missing", "one JSON text part `body` is required")
        parsed = _parsed(model, bodies[0].encode(), (BODY, BODY))
        files = []
        for part in form.getlist(FILES):
            if not isinstance(part, UploadFile):
                raise _file_expected()
            files.append(await part.read(max_bytes + 1))  # one byte over: refused by size
        kinds, places = _texts(form.getlist(KINDS), KINDS), _texts(form.getlist(PLACES), PLACES)
    return ActionBody(parsed, tuple(files), kinds, places)


def _texts(parts: list[Any], field: str) -> tuple[str, ...]:
    if not all(isinstance(p, str) for p in parts):
        raise _invalid((BODY, field), "string_type", "a text part is expected")
    return tuple(parts)


def _file_expected() -> rules.InvalidInput:
    return rules.InvalidInput(
        [
            reason(
                "evidence_not_a_file", "ส่วน evidence ต้องเป็นไฟล์", "an evidence part must be a file"
            )
        ],
        field=FILES,
    )


def openapi(model: type[BaseModel], examples: dict[str, Any]) -> dict[str, Any]:
    """Both bodies as the OpenAPI document states them (the JSON one as FastAPI would)."""
    ref = {"$ref": f"#/components/schemas/{model.__name__}"}
    binary = {"type": "string", "format": "binary"}
    multipart = {
        "type": "object",
        "required": [BODY],
        "additionalProperties": False,
        "properties": {
            BODY: {**ref, "description": "the JSON body, as JSON text (application/json)"},
            FILES: {
                "type": "array",
                "items": binary,
                "maxItems": MAX_FILES,
                "description": "evidence files: PDF, JPEG or PNG, told by their content",
            },
            KINDS: {
                "type": "array",
                "items": {"type": "string", "enum": [k.value for k in EvidenceKind]},
                "description": "one per file; default: the action's own evidence",
            },
            PLACES: {
                "type": "array",
                "items": {"type": "string", "maxLength": rules.PLACE_MAX},
                "description": "one per file (posting photos); default: `places` in order",
            },
        },
    }
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": ref, "examples": examples},
                MULTIPART: {
                    "schema": multipart,
                    "encoding": {BODY: {"contentType": "application/json"}},
                },
            },
        }
    }
