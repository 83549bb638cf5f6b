"""Post/redirect/get for refused forms: the refused form (its values and the messages per
field) travels to the page the browser is sent back to in a short-lived cookie signed with
the session, so a refresh shows the page again and never resubmits the post.

The cookie is HttpOnly, SameSite=Lax, lives two minutes, and is read once: the page that
shows it deletes it. A form too large for a cookie is rendered in the post's answer instead
(the old behaviour), which a refresh would resubmit; the typed text is still kept.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

from fastapi import Request, Response

from api.web import session
from api.web.forms import FormState

FLASH_COOKIE = "localplan_form"
MAX_COOKIE = 3800  # bytes of the value; browsers keep at least 4096 per cookie
LIFETIME_SECONDS = 120


def _key(request: Request) -> bytes | None:
    secret = session.session_secret(request)
    if secret is None:
        return None
    return hmac.new(secret.encode(), b"localplan-flash", hashlib.sha256).digest()


def _encode(state: FormState, where: str) -> bytes:
    values = {k: v for k, v in state.values.items() if k != session.CSRF_FIELD}
    data = {"w": where, "n": state.name, "c": state.code, "v": values, "e": state.errors}
    return base64.urlsafe_b64encode(json.dumps(data, ensure_ascii=False).encode())


def keep(request: Request, response: Response, state: FormState, where: str) -> bool:
    """Put the refused form in the cookie for the page at `where`; False if it cannot
    travel (no session, or too large)."""
    key = _key(request)
    if key is None:
        return False
    body = _encode(state, where)
    signature = hmac.new(key, body, hashlib.sha256).hexdigest()
    value = f"{body.decode()}.{signature}"
    if len(value) > MAX_COOKIE:
        return False
    response.set_cookie(
        FLASH_COOKIE,
        value,
        max_age=LIFETIME_SECONDS,
        httponly=True,
        samesite="lax",
        secure=session.is_https(request),
        path="/",
    )
    return True


def forget(request: Request, response: Response) -> None:
    """Drop the cookie once its page was shown (read once)."""
    if FLASH_COOKIE in request.cookies:
        response.delete_cookie(FLASH_COOKIE, path="/", httponly=True, samesite="lax")


def take(request: Request, where: str) -> FormState | None:
    """The refused form kept for the page at `where`; None if there is none, it was signed
    for another session, or it belongs to another page."""
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw:
        return None
    key = _key(request)
    body, _, signature = raw.rpartition(".")
    if key is None or not body:
        return None
    expected = hmac.new(key, body.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        return None
    data = json.loads(base64.urlsafe_b64decode(body.encode()))
    if data.get("w") != where:
        return None
    errors = {k: [(th, en) for th, en in v] for k, v in data["e"].items()}
    return FormState(data["n"], dict(data["v"]), errors, code=data.get("c", ""))
