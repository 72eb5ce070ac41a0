"""User-written minutes are sanitised on output and references in them become links."""

import random

import pytest

from core.markup import (
    find_references,
    link_references_in_html,
    markdown_words,
    render_markdown,
    render_markdown_inline,
)
from core.reference_kinds import mentioning_texts, reference_kinds

URLS = {
    "DAG29-01": "/actions/DAG29-01/",
    "DAG-DEC76": "/decisions/DAG-DEC76/",
    "CR032": "/change-requests/CR032/",
    "R184": "/raid/R184/",
    "DES-03-04": "/actions/DES-03-04/",
    "DAG10.1-03": "/actions/DAG10.1-03/",
}


def test_finds_every_shape_of_reference():
    text = "See DAG29-01, DAG-DEC76 and DAG-DEC-29; CR032 raised R184. DES-03-04 DAG10.1-03."
    assert find_references(text) == {
        "DAG29-01", "DAG-DEC76", "DAG-DEC-29", "CR032", "R184", "DES-03-04", "DAG10.1-03",
    }  # fmt: skip
    # Other words of capitals and digits are candidates (an older form such as CR-D040 may
    # be held); only those a record holds become links.
    assert find_references("CR032-CR044 CR-D040 RISK-99 dag29-01") == {
        "CR032", "CR044", "CR-D040", "RISK-99",
    }  # fmt: skip
    html = render_markdown("CR0321234 XR184 IR8.1 CR-D040", urls={"CR-D040": "/cr/CR-D040/"})
    assert html.count("<a ") == 1 and '<a href="/cr/CR-D040/">CR-D040</a>' in html


def test_script_and_html_come_out_as_text():
    html = render_markdown(
        "<script>alert(1)</script> **bold** <img src=x onerror=alert(2)> [x](javascript:alert(3))",
        urls={},
    )
    # Typed HTML is kept as visible text, never as elements, and no script link survives.
    assert "<script" not in html and "<img" not in html and "javascript:" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    assert "<strong>bold</strong>" in html


def test_known_references_become_links_unknown_stay_text():
    html = render_markdown("ACTION DAG29-01: raised on CR032; DAG29-99 is unknown", urls=URLS)
    assert '<a href="/actions/DAG29-01/">DAG29-01</a>' in html
    assert '<a href="/change-requests/CR032/">CR032</a>' in html
    assert "DAG29-99" in html and "/DAG29-99/" not in html


def test_no_links_inside_existing_links_or_attributes():
    html = '<p><a href="/x/CR032/" title="CR032">CR032</a> and R184</p>'
    linked = link_references_in_html(html, URLS)
    assert linked.count("<a ") == 2
    assert '<a href="/raid/R184/">R184</a>' in linked


@pytest.mark.django_db
def test_lookup_links_existing_records(django_assert_num_queries):
    from tests.factories import make_action, make_meeting

    make_action(make_meeting(number=29))
    with django_assert_num_queries(4):
        html = render_markdown("DAG29-01 and DAG29-02")
    assert '<a href="/actions/DAG29-01/">DAG29-01</a>' in html
    assert "/actions/DAG29-02/" not in html


def test_every_kind_of_record_registers_its_references():
    """core sits below the registers and cannot import them: each registers its kind of
    reference in its AppConfig.ready(), and the minutes register as text naming them."""
    assert {kind.url_name for kind in reference_kinds()} == {
        "actions:action_detail",
        "decisions:decision_detail",
        "changerequests:cr_detail",
        "raid:raid_detail",
    }
    assert mentioning_texts("minutes").text_fields == ("minutes",)


def test_long_odd_text_is_searched_quickly():
    """The catch-all shape is bounded: minutes of 100,000 odd characters stay quick."""
    import time

    started = time.monotonic()
    for text in ["A-" * 50_000, "A" + "1" * 100_000 + "a", "AB1-" * 25_000]:
        find_references(text)
    assert time.monotonic() - started < 5


def test_markdown_in_a_line_runs_on_and_longer_text_keeps_its_blocks():
    """Issue 21 item 5: updates and CR notes set in a cell or after a reference."""
    assert render_markdown_inline("Done **today**, see CR032", URLS) == (
        'Done <strong>today</strong>, see <a href="/change-requests/CR032/">CR032</a>'
    )
    longer = render_markdown_inline("First.\n\n- one\n- two", URLS)
    assert longer.startswith("<p>First.</p>") and "<li>one</li>" in longer
    assert markdown_words("### Heading\n\n**Bold** and *it*\n\n- item") == (
        "Heading Bold and it item"
    )


def test_markdown_words_of_plain_text_are_the_words_converting_gives():
    """Plain sentences skip the conversion (core.markup._MARKDOWN_SIGNS); whatever text,
    the words are those the conversion gives: lists, rules, headings' underlines, entities,
    carriage returns and no-break spaces go through it."""
    from django.utils.html import strip_tags

    pieces = ["Update", "DAG29-01", "-", "---", "+", "1.", "2)", "3.5", "'", '"', "\n", "\n\n",
              "    ", "\t", "  \n", "%", "/", "co-op", "=", "*", "_", "<", "&", "#", "`", "[a]",
              "!", "~", "|", ">", "\\", "é", "...", "\r\n", "\u00a0", "\x0b", "-x",
              "+1"]  # fmt: skip
    chooser = random.Random(20)
    for _ in range(3000):
        text = "".join(
            chooser.choice(pieces) + chooser.choice(["", " ", "\n"])
            for _ in range(chooser.randrange(1, 10))
        )
        converted = " ".join(strip_tags(render_markdown(text, {})).split())
        assert markdown_words(text) == converted, repr(text)
