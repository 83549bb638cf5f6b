"""Domain errors. Each has a stable code and reasons in Thai and English."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, ClassVar

from models.enums import Role


@dataclass(frozen=True)
class Reason:
    code: str
    th: str
    en: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


@dataclass(frozen=True)
class Refusal:
    """What the boundary stores about a refused attempt, in its own transaction."""

    action: str
    actor_user_id: int | None
    actor_username: str
    actor_role: Role
    plan_id: int | None = None
    organization_id: int | None = None
    effective_on: date | None = None
    request_id: str | None = None
    report_id: int | None = None  # a refused action on a monitoring report


@dataclass
class DomainError(Exception):
    reasons: list[Reason]
    refusal: Refusal | None = field(default=None)
    code: ClassVar[str] = "domain_error"

    def __str__(self) -> str:
        return "; ".join(f"{r.code}: {r.en}" for r in self.reasons) or self.code

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "reasons": [r.as_dict() for r in self.reasons]}


class NotFound(DomainError):
    code = "not_found"


class Forbidden(DomainError):
    code = "forbidden"


class InvalidTransition(DomainError):
    code = "invalid_transition"


class GuardRefused(DomainError):
    code = "guard_refused"


class StaleVersion(DomainError):
    code = "stale_version"


class ValidationFailed(DomainError):
    """One field breaks its input rule (422): what the OpenAPI document states."""

    code = "validation_error"


class Conflict(DomainError):
    """The request is well formed but collides with what exists: a name taken, an account
    already in the state asked for (409)."""

    code = "conflict"


def reason(code: str, th: str, en: str) -> Reason:
    return Reason(code=code, th=th, en=en)


class RoleAmbiguous(Conflict):
    """A person holding several roles did not name the one to act in, and more than one may
    take the action (docs/domain.md "Memberships"): 409 naming the roles."""

    code = "role_ambiguous"


def role_ambiguous(roles: list[Role]) -> RoleAmbiguous:
    names = ", ".join(sorted({r.value for r in roles}))
    return RoleAmbiguous(
        [
            reason(
                "role_ambiguous",
                f"ท่านมีหลายบทบาทที่ทำขั้นตอนนี้ได้ ({names}) กรุณาเลือกบทบาทที่จะใช้",
                f"you hold more than one role that may do this ({names}): name the one to act in",
            )
        ]
    )


def role_not_held(role: str, held: list[Role]) -> Forbidden:
    names = ", ".join(sorted({r.value for r in held})) or "-"
    return Forbidden(
        [
            reason(
                "role_not_held",
                f"ท่านไม่ได้ดำรงบทบาท {role} ในวันนี้ (บทบาทที่มี: {names})",
                f"you hold no membership in role {role} today (held: {names})",
            )
        ]
    )
