"""core.widgets.LongSelect: a select of hundreds of people written in one pass, with what
Django's select writes (the chosen option, escaped labels, the field's attributes)."""

from django import forms

from core.widgets import LongSelect


class PersonForm(forms.Form):
    person = forms.ChoiceField(
        choices=[("", "Choose a person"), ("7", "Ann <Smith>"), ("9", "Bob & Co")],
        widget=LongSelect,
    )


def test_writes_each_option_with_the_chosen_one_selected_and_labels_escaped():
    html = str(PersonForm({"person": "9"})["person"])

    assert html.startswith('<select name="person" id="id_person" required>')
    assert '<option value="">Choose a person</option>' in html
    assert '<option value="7">Ann &lt;Smith&gt;</option>' in html
    assert '<option value="9" selected>Bob &amp; Co</option>' in html
    assert html.endswith("</select>")


def test_unbound_the_empty_choice_is_selected():
    assert '<option value="" selected>Choose a person</option>' in str(PersonForm()["person"])
