"""Likely duplicated projects (docs/domain.md "Duplicates"; the plan's purpose 1.2, to reduce
duplicated projects): within a plan, between the office's and outside agencies' projects, and
across the organization's plans of the same fiscal year. Names are compared as words with
rapidfuzz on the normalized form stored when a project is saved (`match_key`); places are
compared apart, so the same road work in two villages is not flagged. Flags inform the clerk
and the committee; they never block anything. Pure; rapidfuzz is imported on first use."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from workflow.content_model import Project
from workflow.thai_normalize import Normalized, from_key, normalize

THRESHOLD = 80  # the score from which a pair is flagged (docs/duplicates.md: its precision)
DIFFERENT_VILLAGES_CAP = 40
DIFFERENT_PLACES_CAP = 55


@dataclass(frozen=True)
class Candidate:
    """One project as the matcher sees it: where it is and its stored normalized form."""

    plan_id: int
    plan_title: str
    project_id: str
    name: str
    own: bool
    key: str


@dataclass(frozen=True)
class Flag:
    """A likely duplicate: both projects, the score (0–100) and why, in Thai and English."""

    a: Candidate
    b: Candidate
    scope: str  # "within_plan", "own_and_outside", "across_plans"
    score: int
    why_th: str
    why_en: str


def match_key(project: Project) -> str:
    """What the content store saves with a project (the `match_key` column)."""
    return normalize(project.name, project.location, project.village).key()


def candidates(plan_id: int, plan_title: str, projects: Iterable[Project],
               keys: dict[str, str] | None = None) -> list[Candidate]:  # fmt: skip
    """The plan's projects with their stored keys (computed for any not stored yet)."""
    keys = keys or {}
    return [
        Candidate(plan_id, plan_title, p.id, p.name, p.own, keys.get(p.id) or match_key(p))
        for p in projects
    ]


def score_pair(a: Normalized, b: Normalized, work_score: float) -> tuple[int, str, str]:
    """The pair's score from the words' similarity and the places, with why."""
    th = [f"ชื่อโครงการคล้ายกัน {work_score:.0f}/100"]
    en = [f"names alike {work_score:.0f}/100"]
    score = work_score
    if a.villages and b.villages:
        if a.villages & b.villages:
            shared = ", ".join(str(v) for v in sorted(a.villages & b.villages))
            th.append(f"หมู่ที่เดียวกัน ({shared})")
            en.append(f"same village (หมู่ที่ {shared})")
        else:
            score = min(score, DIFFERENT_VILLAGES_CAP)
            th.append("คนละหมู่บ้าน")
            en.append("different villages")
    if a.places - b.places and b.places - a.places:
        score = min(score, DIFFERENT_PLACES_CAP)
        th.append("คนละสถานที่: " + " / ".join(sorted(a.places ^ b.places)))
        en.append("different places: " + " / ".join(sorted(a.places ^ b.places)))
    elif a.places & b.places:
        th.append("สถานที่เดียวกัน: " + " ".join(sorted(a.places & b.places)))
        en.append("same place: " + " ".join(sorted(a.places & b.places)))
    return round(score), "; ".join(th), "; ".join(en)


def _scorer() -> Any:
    from rapidfuzz import fuzz

    return fuzz.token_sort_ratio


def find(plan: Sequence[Candidate], others: Sequence[Candidate] = (), *,
         threshold: int = THRESHOLD) -> list[Flag]:  # fmt: skip
    """Flags among the plan's own candidates and between them and `others` (the
    organization's other plans of the same fiscal year), best first. Names written the same
    are compared once, and so are the places of two keys."""
    from rapidfuzz import process

    scorer = _scorer()
    pool = [*plan, *others]
    forms = {c.key: from_key(c.key) for c in pool}
    by_work: dict[str, list[int]] = {}
    for j, c in enumerate(pool):
        by_work.setdefault(forms[c.key].work, []).append(j)
    works = list(by_work)
    hits: dict[str, list[tuple[str, float, int]]] = {}
    scored: dict[tuple[str, str], tuple[int, str, str]] = {}
    flags: list[Flag] = []
    for i, a in enumerate(plan):
        work = forms[a.key].work
        if work not in hits:
            hits[work] = process.extract(
                work, works, scorer=scorer, score_cutoff=threshold, limit=None
            )
        for other, work_score, _ in hits[work]:
            for j in by_work[other]:
                if j <= i:
                    continue  # each pair once, never a project with itself
                b = pool[j]
                pair = (a.key, b.key)
                if pair not in scored:
                    scored[pair] = score_pair(forms[a.key], forms[b.key], work_score)
                score, th, en = scored[pair]
                if score >= threshold:
                    flags.append(Flag(a, b, _scope(a, b), score, th, en))
    return sorted(flags, key=lambda f: (-f.score, f.a.name, f.b.name))


def _scope(a: Candidate, b: Candidate) -> str:
    if a.plan_id != b.plan_id:
        return "across_plans"
    return "within_plan" if a.own == b.own else "own_and_outside"


def flag_data(flag: Flag) -> dict[str, Any]:
    """A flag as JSON: what the API and `content duplicates --json` print."""

    def side(c: Candidate) -> dict[str, Any]:
        return {"plan_id": c.plan_id, "plan": c.plan_title, "project_id": c.project_id,
                "name": c.name, "own": c.own}  # fmt: skip

    return {
        "a": side(flag.a), "b": side(flag.b), "scope": flag.scope, "score": flag.score,
        "why": {"th": flag.why_th, "en": flag.why_en},
    }  # fmt: skip
