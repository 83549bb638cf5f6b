"""A rendered page leaves nothing for the garbage collector (api/web/render.py `rendered`):
a template's macros and its context hold each other, and that cycle held everything the page
was given until the next collection, which then took 10–40 ms (docs/benchmarks.md "Speed,
eighth round: the pages")."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from datetime import date

import pytest

from api.web.render import rendered, templates
from workflow.collector import paused

PAGE = (
    '{% import "_macros.html" as m %}'
    "{% macro row(x) %}<td>{{ f(x.name) }}</td>{% endmacro %}"
    "{{ row(data) }}{{ m.saved(note) }}{{ m.date_input(none, 'f', 'on', 'on') }}"
)


class Data:
    name = "องค์การบริหารส่วนตำบลแหลมรัง"


@pytest.fixture
def no_collector() -> Iterator[None]:
    with paused():
        yield


def test_what_a_page_is_given_is_freed_when_it_is_dropped(no_collector: None) -> None:
    data = Data()
    gone = weakref.ref(data)
    values = {
        "lang": "th", "today": date(2018, 11, 9), "data": data, "f": str.strip,
        "note": ("บันทึกแล้ว", "saved"),
    }
    html = rendered(templates().from_string(PAGE), values)
    del data, values
    assert gone() is None  # freed by its reference count: no cycle kept it
    assert "<td>องค์การบริหารส่วนตำบลแหลมรัง</td>" in html and "บันทึกแล้ว" in html
    assert 'placeholder="วว/ดด/ปปปป"' in html and "09/11/2561" in html  # the macros' helpers


def test_rendered_as_jinja2_alone_the_cycle_would_keep_it(no_collector: None) -> None:
    """The control: with Template.render, a macro that calls a function (`context.call`)
    holds the context, which holds it and the page's data, until a collection."""
    data = Data()
    gone = weakref.ref(data)
    page = templates().from_string("{% macro row(x) %}{{ f(x.name) }}{% endmacro %}{{ row(data) }}")
    page.render(data=data, f=str.upper)
    del data
    assert gone() is not None
    gc.collect()
    assert gone() is None


def test_the_macros_speak_the_language_of_the_page_being_rendered() -> None:
    page = templates().from_string('{% import "_macros.html" as m %}{{ m.general(form, "f") }}')

    class Form:
        name, general = "f", [("ข้อความ", "message")]

    for lang, text in (("th", "ข้อความ"), ("en", "message")):
        html = rendered(page, {"lang": lang, "today": date(2018, 11, 9), "form": Form()})
        assert f"<li>{text}</li>" in html
