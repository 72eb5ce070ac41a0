"""Nothing typed into minutes vanishes when they are rendered: images (not allowed) show their
alt text as plain words, link definitions stay as typed, and a property test checks that every
word typed appears in the rendered text."""

import html
import re
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.markup import render_markdown

WORD = re.compile(r"[A-Za-z0-9]+")


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.tags = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.parts.append(data)


def shown(text):
    """The rendered text a reader sees, and the tags used."""
    parser = _Text()
    parser.feed(str(render_markdown(text, urls={})))
    return "".join(parser.parts), parser.tags


def test_an_image_is_its_alt_text_with_the_words_around_it():
    text, tags = shown("See ![the *revised* plan](https://example.org/plan.png) today.")
    assert text == "See the *revised* plan today."
    assert "img" not in tags


def test_an_image_without_alt_text_shows_its_address():
    text, tags = shown("Chart: ![](https://example.org/chart.png) attached")
    assert text == "Chart: https://example.org/chart.png attached"


def test_an_image_in_a_link_is_the_link_text():
    text, tags = shown("[![Agenda](https://e.org/a.png) for DAG](https://e.org/agenda) end")
    assert text == "Agenda for DAG end"
    assert tags.count("a") == 1 and "img" not in tags


def test_reference_definitions_and_reference_images_stay_as_typed():
    text, _ = shown("See ![chart][1] and [notes][2].\n\n[1]: https://e.org/c.png\n[2]: notes")
    assert "![chart][1]" in text and "[notes][2]" in text
    assert "[1]: https://e.org/c.png" in text and "[2]: notes" in text


# Property: words typed with the Markdown the minutes use all appear in the rendered text.
words = st.from_regex(r"[A-Za-z][A-Za-z0-9]{0,8}", fullmatch=True)
phrase = st.lists(words, min_size=1, max_size=4).map(" ".join)
ADDRESS = "https://example.org/x.png"


def _token(kind, text):
    return {
        "word": text,
        "strong": f"**{text}**",
        "em": f"*{text}*",
        "code": f"`{text}`",
        "image": f"![{text}]({ADDRESS})",
        "image_ref": f"![{text}][1]",
        "link": f"[{text}]({ADDRESS})",
        "image_in_link": f"[![{text}]({ADDRESS})]({ADDRESS})",
        "angle": f"<{text}>",
        "heading": f"\n# {text}\n",
        "item": f"\n- {text}\n",
        "quote": f"\n> {text}\n",
        "definition": f"\n\n[{text}]: {text}\n",
        "break": "\n\n",
    }[kind]


tokens = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "word",
                "strong",
                "em",
                "code",
                "image",
                "image_ref",
                "link",
                "image_in_link",
                "angle",
                "heading",
                "item",
                "quote",
                "definition",
                "break",
            ]
        ),  # fmt: skip
        phrase,
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tokens)
def test_every_word_typed_appears_in_the_rendered_text(parts):
    typed = " ".join(_token(kind, text) for kind, text in parts)
    text, tags = shown(typed)
    for word in WORD.findall(" ".join(t for k, t in parts if k != "break")):
        assert word in text, (typed, text)
    assert "img" not in tags


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab1 *_[]!#>`-:\n", max_size=60))
def test_no_word_vanishes_from_any_text(typed):
    text, _ = shown(typed)
    for word in WORD.findall(typed):
        assert word in html.unescape(text), (typed, text)
