"""What every admin form shares: run one core command for a form (a refusal comes back as the
form with each reason beside its field), then post/redirect/get: a success goes back to the
page with `?saved=<what>`, shown there as a confirmation; a refusal goes back with the
refused form in the read-once cookie of api/web/flash.py, so a refresh never resubmits."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from api.deps import Services
from api.web import flash, forms
from workflow.errors import DomainError

# What a saved form says on the page it returns to (?saved=<key>).
SAVED: dict[str, tuple[str, str]] = {
    "user_added": ("เพิ่มผู้ใช้แล้ว", "User added"),
    "user_saved": ("บันทึกข้อมูลผู้ใช้แล้ว", "User details saved"),
    "membership_granted": ("มอบบทบาทแล้ว", "Role granted"),
    "membership_ended": ("สิ้นสุดบทบาทแล้ว", "Membership ended"),
    "deactivated": ("ระงับบัญชีแล้ว ผู้ใช้ออกจากระบบทุกเครื่องแล้ว", "Account deactivated"),
    "reactivated": ("เปิดใช้บัญชีอีกครั้งแล้ว", "Account reactivated"),
    "password_set": (
        "ตั้งรหัสผ่านใหม่แล้ว ผู้ใช้ออกจากระบบทุกเครื่อง แจ้งรหัสผ่านแก่ผู้ใช้ด้วยตนเอง",
        "Password set; the user was signed out everywhere",
    ),
    "holiday_saved": ("บันทึกการเปลี่ยนแปลงวันหยุดแล้ว", "Holiday change saved"),
    "settings_saved": ("บันทึกการตั้งค่าหน่วยงานแล้ว", "Organization settings saved"),
    "emblem_saved": ("บันทึกตราหน่วยงานแล้ว", "Emblem saved"),
    "emblem_removed": ("นำตราหน่วยงานออกแล้ว", "Emblem removed"),
    "contact_saved": ("บันทึกช่องทางติดต่อแล้ว", "Contact saved"),
    "contact_removed": ("นำช่องทางติดต่อออกแล้ว", "Contact removed"),
    "retried": ("ส่งใหม่แล้ว ข้อความกลับเข้าคิวส่ง", "Queued again"),
}
Saved = Annotated[str | None, Query(max_length=32, pattern=r"^[a-z_]+$")]


def saved_note(key: str | None) -> tuple[str, str] | None:
    """The confirmation for `?saved=<key>` (an unknown key shows nothing)."""
    return SAVED.get(key or "")


async def run_form(
    services: Services,
    name: str,
    values: dict[str, str],
    command: Callable[[Session], Any],
    *,
    fields: Mapping[str, str] | None = None,
) -> forms.FormState | None:
    """Run the command; None when it committed, else the form with its reasons: an input
    rule's beside the field it names, another by its code (`fields`: code → field). A
    refusal for want of the admin role is the 403 page, and a missing user, office or LINE id
    the 404 page, not a form error."""
    try:
        await services.run(command)
    except DomainError as error:
        if error.code == "not_found":
            raise
        if error.code == "forbidden" and not (fields and _placed(error, fields)):
            raise
        state = forms.refused_form(name, values, error)
        for th, en in state.errors.pop("", []):
            code = next((r.code for r in error.reasons if r.th == th), "")
            state.add((fields or {}).get(code, ""), th, en)
        return state
    return None


def _placed(error: DomainError, fields: Mapping[str, str]) -> bool:
    """A refusal (a Forbidden too) this form shows beside one of its fields."""
    return any(r.code in fields for r in error.reasons)


def back(request: Request, where: str, form: forms.FormState | None, saved: str) -> Response:
    """Post/redirect/get to `where`: with the confirmation, or with the refused form kept
    (admin forms are small: they always fit the cookie)."""
    if form is None:
        return RedirectResponse(f"{where}?saved={saved}", 303)
    response = RedirectResponse(f"{where}#{form.name}", 303)
    flash.keep(request, response, form, where)
    return response


def kept(request: Request, where: str) -> forms.FormState | None:
    """The refused form sent back to this page, if any (delete the cookie with `shown`)."""
    return flash.take(request, where)


def shown(request: Request, page: HTMLResponse) -> HTMLResponse:
    flash.forget(request, page)
    return page
