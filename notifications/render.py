"""The reader's language first, then the other: a subject (in the reader's language only), a
plain-text and an HTML part for each message, and a short text for LINE.

The facts come from the outbox payload (written by the workflow when the event happened), the
audit record (its effective date and comment: the reason of a return or send-back) and the
organization and plan rows; plans are named by their title; dates are shown in the Buddhist
Era in Thai ("9 พ.ย. 2561") and as "9 Nov 2018" in English.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from string import Template
from typing import Any

from models.enums import Language
from models.thai_dates import EN_MONTHS
from models.thai_dates import format_thai_date as thai_date
from notifications import templates as tpl


def english_date(day: date) -> str:
    """'9 Nov 2018'."""
    return f"{day.day} {EN_MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class PlanFacts:
    title: str
    kind: str
    number: int
    fiscal_year_be: int


@dataclass(frozen=True)
class MessageFacts:
    """One outbox message with the names it needs."""

    kind: str
    organization_name: str
    payload: dict[str, Any]
    plan: PlanFacts | None = None
    plan_id: int | None = None
    link: str | None = None
    audience: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    lines_th: tuple[str, ...] = field(default=())
    lines_en: tuple[str, ...] = field(default=())
    link: str | None = None


def render(facts: MessageFacts, language: str = Language.TH) -> Rendered:
    """The texts of one message for readers of `language` (th or en)."""
    headline_th, headline_en = _headline(facts)
    th, en = [headline_th], [headline_en]
    for a, b in _context(facts):
        th.append(a)
        en.append(b)
    for a, b in _next_steps(facts):
        th.append(a)
        en.append(b)
    named = not facts.kind.startswith("transition.") and facts.kind != "deadline.set_aside"
    title = f" — {facts.plan.title}" if facts.plan and named else ""
    subject = (headline_en if language == Language.EN else headline_th) + title
    return _assemble(subject, th, en, facts.link, language)


def render_lines(
    th: Sequence[str], en: Sequence[str], language: str = Language.TH
) -> Rendered:
    """Texts given line by line (admins' notices): the first line of each is the headline."""
    subject = en[0] if language == Language.EN else th[0]
    return _assemble(subject, th, en, None, language)


def line_text(rendered: Rendered, language: str | None) -> str:
    """A LINE text: the reader's lines and the link; a group (None) gets Thai, then English."""
    if language is None:
        lines = [*rendered.lines_th, "", *rendered.lines_en]
    else:
        lines = list(rendered.lines_en if language == Language.EN else rendered.lines_th)
    if rendered.link:
        lines += ["", rendered.link]
    return "\n".join(lines)


def plan_line(org: str, plan: PlanFacts | None) -> tuple[str, str]:
    if plan is None:
        return org, org
    kind_th, kind_en = tpl.PLAN_KINDS.get(plan.kind, (plan.kind, plan.kind))
    number = f" ครั้งที่ {plan.number}" if plan.kind != "annual" else ""
    number_en = f" no. {plan.number}" if plan.kind != "annual" else ""
    return (
        f"{org}: {kind_th} {plan.fiscal_year_be}{number} «{plan.title}»",
        f"{org}: {kind_en} {plan.fiscal_year_be} (BE){number_en} «{plan.title}»",
    )


def _day(raw: object) -> date:
    return date.fromisoformat(str(raw))


def _headline(facts: MessageFacts) -> tuple[str, str]:
    p = facts.payload
    if facts.kind.startswith("alert."):
        due = _day(p["due_on"])
        key = facts.kind
        if facts.kind == "alert.reminder" and int(p["days_left"]) <= 0:
            key = "alert.reminder.today"
        values = {
            "duty_th": p.get("duty_th", ""),
            "duty_en": p.get("duty_en", ""),
            "due_th": thai_date(due),
            "due_en": english_date(due),
            "days": abs(int(p["days_left"])),
        }
        return _fill(tpl.HEADLINES[key], values)
    if facts.kind == "ita.reminder":
        start = _day(p["window_start"])
        return _fill(tpl.HEADLINES["ita.reminder"], {
            "year": p["year"], "code": p["code"], "title": p.get("title", ""),
            "start_th": thai_date(start), "start_en": english_date(start),
        })  # fmt: skip
    if facts.kind == "deadline.extended":
        d = p.get("details", {})
        prev, new = _day(d["previous_due_on"]), _day(d["new_due_on"])
        return _fill(
            tpl.HEADLINES["deadline.extended"],
            {
                "previous_th": thai_date(prev),
                "new_th": thai_date(new),
                "previous_en": english_date(prev),
                "new_en": english_date(new),
            },
        )
    if facts.kind == "deadline.set_aside":
        plan = facts.plan.title if facts.plan else f"#{p['plan_id']}"
        return _fill(
            tpl.HEADLINES["deadline.set_aside"], {"deadline_id": p["deadline_id"], "plan": plan}
        )
    if facts.kind.startswith("report."):
        return _report_headline(facts)
    if facts.kind.startswith("transition."):
        action = facts.kind.removeprefix("transition.")
        label_th, label_en = tpl.ACTIONS.get(action, (action, action))
        effective = _effective(p)
        return _fill(
            tpl.HEADLINES["transition"],
            {
                "action_th": label_th,
                "action_en": label_en,
                "title": facts.plan.title if facts.plan else "-",
                "effective_th": thai_date(effective) if effective else "-",
                "effective_en": english_date(effective) if effective else "-",
            },
        )
    return facts.kind, facts.kind


def _report_headline(facts: MessageFacts) -> tuple[str, str]:
    """A monitoring report's message, in the words its payload carries from the reports'
    table (workflow/table_reports.py); a message written before them names the action."""
    p = facts.payload
    if facts.kind == "report.half_reminder":
        by = _day(p["by"])
        return _fill(tpl.HEADLINES["report.half_reminder"], {
            "year": p["fiscal_year_be"], "by_th": thai_date(by), "by_en": english_date(by)})
    action = str(p.get("action", facts.kind.removeprefix("report.")))
    effective = _effective(p)
    return _fill(tpl.HEADLINES["report"], {
        "action_th": p.get("action_th", action), "action_en": p.get("action_en", action),
        "round_th": p.get("round_th", p.get("round", "")),
        "round_en": p.get("round_en", p.get("round", "")), "year": p.get("fiscal_year_be", ""),
        "effective_th": thai_date(effective) if effective else "-",
        "effective_en": english_date(effective) if effective else "-",
    })  # fmt: skip


def _effective(payload: dict[str, Any]) -> date | None:
    raw = payload.get("effective_on") or payload.get("details", {}).get("effective_on")
    return _day(raw) if raw else None


def _context(facts: MessageFacts) -> list[tuple[str, str]]:
    lines = [plan_line(facts.organization_name, facts.plan)]
    p = facts.payload
    acted = facts.kind.startswith(("transition.", "report.")) and p.get("comment")
    if acted:
        if facts.kind.split(".", 1)[1] in tpl.REASONED:
            lines.append((f"เหตุผล: {p['comment']}", f"Reason: {p['comment']}"))
        else:
            lines.append((f"ความเห็น: {p['comment']}", f"Comment: {p['comment']}"))
    if facts.kind.startswith("alert."):
        due = _day(p["due_on"])
        lines.append(
            (
                f"ตามระเบียบ {p.get('clause', '')}: ครบกำหนด {thai_date(due)}",
                f"Legal basis {p.get('clause', '')}: due {english_date(due)}",
            )
        )
        if p.get("extended"):
            lines.append(("(ขยายเวลาแล้ว)", "(extended)"))
        left = int(p["days_left"])
        if facts.kind != "alert.may_come_down":
            lines.append(
                (f"เหลืออีก {left} วัน", f"{left} day(s) left")
                if left >= 0
                else (f"เกินกำหนด {-left} วัน", f"{-left} day(s) overdue")
            )
        lwd = _day(p["last_working_on"])
        if lwd < due and facts.kind != "alert.may_come_down":
            th, en = tpl.LAST_WORKING_DAY_ADVICE
            lines.append(
                (
                    Template(th).substitute(lwd_th=thai_date(lwd)),
                    Template(en).substitute(lwd_en=english_date(lwd)),
                )
            )
    return lines


def _next_steps(facts: MessageFacts) -> list[tuple[str, str]]:
    p = facts.payload
    steps: list[tuple[str, str]] = []
    if facts.kind.startswith("alert."):
        steps.append(tpl.NEXT_STEPS.get(str(p.get("deadline_kind")), ("", "")))
        if facts.kind == "alert.may_come_down" and p.get("auto_complete"):
            steps.append(tpl.AUTO_COMPLETE)
        if facts.kind == "alert.overdue" and "auditor" in facts.audience:
            steps.append(tpl.ESCALATED)
    elif facts.kind == "ita.reminder":
        what, year = str(p.get("satisfied_with", "")), p.get("fiscal_year", "")
        what_th = str(p.get("satisfied_with_th") or what)  # reminders before the Thai field
        steps += [(f"ปีงบประมาณ {year}: {what_th}", f"Fiscal year {year} (BE): {what}")]
        steps.append(tpl.ITA_ADVICE)
    elif facts.kind == "deadline.set_aside":
        steps += [(f"ข้อผิดพลาด: {p['error']}", f"Error: {p['error']}"), tpl.SET_ASIDE_ADVICE]
    elif facts.kind.startswith("transition."):
        action = facts.kind.removeprefix("transition.")
        if action in tpl.NEXT_AFTER_ACTION:
            steps.append(tpl.NEXT_AFTER_ACTION[action])
    return [s for s in steps if s[0]]


def _fill(pair: tuple[Template, Template], values: dict[str, Any]) -> tuple[str, str]:
    return pair[0].substitute(values), pair[1].substitute(values)


def _assemble(
    subject: str,
    th: Sequence[str],
    en: Sequence[str],
    link: str | None = None,
    language: str = Language.TH,
) -> Rendered:
    """The reader's language first, the other below a rule; the link; the footer."""
    foot_th, foot_en = tpl.FOOTER
    parts = [("th", th, foot_th), ("en", en, foot_en)]
    if language == Language.EN:
        parts.reverse()
    (lang1, first, foot1), (lang2, second, foot2) = parts
    text_lines = [*first, "", *second]
    if link:
        text_lines += ["", link]
    text_lines += ["", f"{foot1} / {foot2}"]
    html_parts = [
        f'<!DOCTYPE html><html lang="{lang1}"><head><meta charset="utf-8"></head><body>',
        f'<div lang="{lang1}">',
        *(f"<p>{html.escape(line)}</p>" for line in first),
        f'</div><hr><div lang="{lang2}">',
        *(f"<p>{html.escape(line)}</p>" for line in second),
        "</div>",
    ]
    if link:
        html_parts.append(f'<p><a href="{html.escape(link)}">{html.escape(link)}</a></p>')
    html_parts.append(f"<p><small>{html.escape(foot1)} / {html.escape(foot2)}</small></p>")
    html_parts.append("</body></html>")
    return Rendered(
        subject=subject[:500],
        text="\n".join(text_lines) + "\n",
        html="\n".join(html_parts) + "\n",
        lines_th=tuple(th),
        lines_en=tuple(en),
        link=link,
    )


@dataclass(frozen=True)
class DigestItem:
    organization_name: str
    plan: PlanFacts
    duty_th: str
    duty_en: str
    clause: str
    due_on: date
    days_left: int


def render_digest(
    *, day: date, items: Sequence[DigestItem], link: str | None, language: str = Language.TH
) -> Rendered:
    """A person's open deadlines, most urgent first."""
    ordered = sorted(items, key=lambda i: (i.days_left, i.due_on, i.plan.title))
    subject_th = Template(tpl.DIGEST_SUBJECT[0]).substitute(
        day_th=thai_date(day), count=len(ordered)
    )
    subject_en = Template(tpl.DIGEST_SUBJECT[1]).substitute(
        day_en=english_date(day), count=len(ordered)
    )
    th, en = [subject_th], [subject_en]
    for i in ordered:
        where_th, where_en = plan_line(i.organization_name, i.plan)
        state_th = f"เหลือ {i.days_left} วัน" if i.days_left >= 0 else f"เกิน {-i.days_left} วัน"
        state_en = (
            f"{i.days_left} day(s) left" if i.days_left >= 0 else f"{-i.days_left} day(s) overdue"
        )
        th.append(
            f"• {where_th} — {i.duty_th} ({i.clause}) ครบกำหนด {thai_date(i.due_on)}: {state_th}"
        )
        en.append(
            f"• {where_en} — {i.duty_en} ({i.clause}) due {english_date(i.due_on)}: {state_en}"
        )
    subject = subject_en if language == Language.EN else subject_th
    return _assemble(subject, th, en, link, language)
