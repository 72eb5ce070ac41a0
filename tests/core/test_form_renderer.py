"""A select of plain options is written by core.form_renderer as the project's select
template writes it, character for character; any other select still goes through the
template."""

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe

from core.form_renderer import FormRenderer
from core.widgets import PersonSelect

CHOICES = [
    ("", "Anyone"),
    (1, "Ann O'Neil & <Co>"),
    (2, mark_safe("<b>Safe</b>")),
    ("Groups", [("DAG", 'Design "Authority"'), ("PSG", "Programme Steering")]),
]


def both(widget, value, attrs=None):
    written = widget.render("owner", value, attrs, renderer=FormRenderer())
    templated = widget.render("owner", value, attrs, renderer=TemplatesSetting())
    return written, templated


def test_a_select_is_written_as_the_template_writes_it():
    for widget, value in [
        (forms.Select(choices=CHOICES), 1),
        (forms.Select(choices=CHOICES, attrs={"required": True, "disabled": False}), ""),
        (forms.SelectMultiple(choices=CHOICES), ["DAG", 2]),
        (forms.NullBooleanSelect(), None),
        (forms.Select(choices=[]), None),
    ]:
        written, templated = both(widget, value, {"id": "id_owner", "data-x": 'a"b'})
        assert written == templated


def test_the_written_select_escapes_and_marks_the_choice():
    written, _ = both(forms.Select(choices=CHOICES), 1)
    assert '<option value="1" selected>Ann O&#x27;Neil &amp; &lt;Co&gt;</option>' in written
    assert "<b>Safe</b>" in written
    assert '<optgroup label="Groups">' in written


def test_a_picker_with_options_of_its_own_template_goes_through_the_template():
    class OwnTemplate(PersonSelect):
        option_template_name = "django/forms/widgets/input_option.html"

    written, templated = both(OwnTemplate(choices=CHOICES, members=[1]), 1)
    assert written == templated
