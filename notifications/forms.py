from django import forms

from core.models import Person


class SendNowForm(forms.Form):
    """The email log's "send now" form: one person of the user's groups. The page it posts
    to (actions' send-digest view) decides what that person is sent."""

    # Everyone in the user's groups: 500 options at a programme's scale, written by the
    # project's form renderer (core/form_renderer.py) in one pass.
    person = forms.ModelChoiceField(queryset=Person.objects.none(), label="Person")
    # One per form shown: submitting the same form twice sends one email. It ends up in
    # the outbox key and so in the Message-ID: short, and hex digits only.
    token = forms.RegexField(
        regex=r"^[0-9a-f]{1,32}$",
        widget=forms.HiddenInput,
        error_messages={"invalid": "This form is out of date: please choose the person again."},
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].empty_label = "Choose a person"
