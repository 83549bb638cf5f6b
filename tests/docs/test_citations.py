"""Citations stay inside the repository and point at sections that exist.

Code, tests and docs cite a rule by page and heading, e.g. `docs/domain.md "Alerts"` (design:
`docs/architecture.md "The three flows"`); someone who clones the repository must be able to
follow every citation. The three planning files that once lived outside the repository may be named
only in docs/adr/, where decisions record their history.
"""

from __future__ import annotations

import re
import subprocess
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
# Built from parts so that this file does not match itself.
OUTSIDE = re.compile(r"\b(?:DOMAIN|DESIGN|STYLE)\.md\b")
CITATION = re.compile(r"""docs/([\w-]+\.md)`?,?\s+(?:#\s*)?"([^"\n]+)\"""")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$")
DOMAIN_SECTIONS = (
    "Roles",
    "States and actions",
    "The three clocks",
    "Counting days",
    "Worked examples",
    "Alerts",
    "What auditors need",
)
LIST_FILES = ("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
SKIPPED_DIRS = {".git", ".venv", "venv", "node_modules", "__pycache__", "test-output"}


@cache
def tracked_files() -> tuple[Path, ...]:
    """The files git tracks or would track (not ignored); without git, every file of the tree."""
    try:
        out = subprocess.run(LIST_FILES, cwd=ROOT, capture_output=True, check=True).stdout
        names = [n for n in out.decode("utf-8").split("\0") if n]
    except (OSError, subprocess.CalledProcessError):
        names = [
            str(p.relative_to(ROOT))
            for p in ROOT.rglob("*")
            if p.is_file() and not SKIPPED_DIRS.intersection(p.relative_to(ROOT).parts)
        ]
    return tuple(ROOT / n for n in sorted(names) if (ROOT / n).is_file())


def text_of(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="ignore")


@cache
def headings(page: str) -> frozenset[str]:
    lines = (DOCS / page).read_text(encoding="utf-8").splitlines()
    found = (HEADING.match(line) for line in lines if not line.startswith("#!"))
    return frozenset(m.group(1).strip() for m in found if m)


def test_nothing_cites_the_files_outside_the_repository() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in tracked_files()
        if not path.relative_to(ROOT).as_posix().startswith("docs/adr/")
        for number, line in enumerate(text_of(path).splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert not offenders, "cite docs/domain.md or docs/architecture.md instead:\n" + "\n".join(
        offenders
    )


def test_every_section_citation_names_an_existing_heading() -> None:
    broken = []
    for path in tracked_files():
        for match in CITATION.finditer(text_of(path)):
            page, section = match.groups()
            if not (DOCS / page).is_file():
                broken.append(f"{path.relative_to(ROOT)}: docs/{page} does not exist")
            elif section not in headings(page):
                broken.append(f'{path.relative_to(ROOT)}: docs/{page} has no heading "{section}"')
    assert not broken, "\n".join(broken)


def test_the_domain_page_has_the_sections_others_cite() -> None:
    assert set(DOMAIN_SECTIONS) <= headings("domain.md")


def test_the_tests_the_domain_page_names_exist() -> None:
    """The worked examples name the tests that hold them: a renamed test must rename them."""
    domain = (DOCS / "domain.md").read_text(encoding="utf-8")
    paths = set(re.findall(r"`(tests/[\w/]+\.py)", domain))
    names = set(re.findall(r"`(?:tests/[\w/]+\.py::)?(test_\w+)`", domain))
    assert paths and names
    missing = [p for p in sorted(paths) if not (ROOT / p).is_file()]
    sources = "\n".join(text_of(p) for p in (ROOT / "tests").rglob("test_*.py"))
    missing += [n for n in sorted(names) if not re.search(rf"def {n}\(", sources)]
    assert not missing, f"docs/domain.md names tests that do not exist: {missing}"
