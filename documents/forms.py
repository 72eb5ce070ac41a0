"""What a group report asks for when it is requested."""

from django import forms

from core.models import Classification


class ReportForm(forms.Form):
    """What a group report asks for: its classification (the programme's scale)."""

    classification = forms.ChoiceField(
        choices=Classification.choices, initial=Classification.PUBLIC
    )

    def parameters(self) -> dict:
        return {"classification": self.cleaned_data["classification"]}


def classification_label(parameters: dict) -> str:
    """ "Public", from a group report's stored parameters."""
    return Classification(parameters.get("classification", Classification.PUBLIC)).label
