"""The shapes of what the API's writes take: types checked here (a date is a date, a list
is a list), so the page's form, which then checks the rules exactly as the page does, only
ever sees values a browser could have sent."""

from rest_framework import serializers

from actions.models import ActionStatus, DueKind
from decisions.forms import ApprovalForm

TEXT = 5000


def form_data(values: dict) -> dict:
    """Validated values as a form's data: dates as ISO strings (which every date field
    reads), lists kept, None as empty."""
    data = {}
    for name, value in values.items():
        if value is None:
            data[name] = ""
        elif isinstance(value, list):
            data[name] = [str(item) for item in value]
        elif isinstance(value, bool):
            data[name] = "on" if value else ""
        else:
            data[name] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return data


class OwnerFields(serializers.Serializer):
    owners = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, help_text="People's ids."
    )
    owner_printed = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        help_text='The owner as the paper prints it, e.g. "Programme (PMO)".',
    )
    add_people = serializers.BooleanField(
        required=False, help_text="Add people named in owner_printed who are not in the app."
    )
    owner_party = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ActionCreateInput(OwnerFields):
    """An action raised at an agenda item of a meeting that has started, as on the minutes
    page: its reference is the meeting's next one unless the paper's own is given."""

    meeting = serializers.IntegerField(min_value=1)
    agenda_item = serializers.CharField(max_length=8, help_text='The item\'s number, e.g. "6".')
    text = serializers.CharField(max_length=TEXT)
    area = serializers.CharField(max_length=300, required=False, allow_blank=True)
    due_kind = serializers.ChoiceField(choices=DueKind.choices, default=DueKind.DATE)
    due_date = serializers.DateField(required=False, allow_null=True)
    reference = serializers.CharField(max_length=40, required=False, allow_blank=True)


class ActionCorrectInput(OwnerFields):
    """The secretariat's correction of what was recorded when the action was raised; the
    fields left out keep their values."""

    text = serializers.CharField(max_length=TEXT, required=False, allow_blank=True)
    area = serializers.CharField(max_length=300, required=False, allow_blank=True)
    due_kind = serializers.ChoiceField(choices=DueKind.choices, required=False)
    due_date = serializers.DateField(required=False, allow_null=True)
    date_raised = serializers.DateField(required=False)
    reason = serializers.CharField(max_length=100, required=False, allow_blank=True)


class ActionUpdateInput(serializers.Serializer):
    """A dated update of an action, with the status it sets."""

    text = serializers.CharField(max_length=TEXT)
    date = serializers.DateField(required=False, help_text="Today when left out.")
    status = serializers.ChoiceField(
        choices=[("", "Leave as it is"), *ActionStatus.choices], required=False, allow_blank=True
    )
    meeting = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    due_date = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="The secretariat's sets it; from anyone else it is a request.",
    )


class ActionStatusInput(serializers.Serializer):
    """The update that recommends closing, or closes, the action."""

    text = serializers.CharField(max_length=TEXT)
    date = serializers.DateField(required=False, help_text="Today when left out.")
    meeting = serializers.IntegerField(min_value=1, required=False, allow_null=True)


class DecisionProposeInput(serializers.Serializer):
    """A proposed decision for the chair, as the decision log's "Record a decision"."""

    group = serializers.CharField(max_length=12, help_text="The group's code, e.g. DAG.")
    meeting = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    area = serializers.CharField(max_length=300, required=False, allow_blank=True)
    wording = serializers.CharField(max_length=TEXT)
    change_requests = serializers.CharField(
        max_length=500, required=False, allow_blank=True, help_text="e.g. CR032, CR044"
    )
    actions = serializers.CharField(
        max_length=500, required=False, allow_blank=True, help_text="e.g. DAG29-01"
    )
    reference = serializers.CharField(max_length=40, required=False, allow_blank=True)


class DecisionCorrectInput(serializers.Serializer):
    """The secretariat's correction of a proposed decision; a field left out keeps its value."""

    area = serializers.CharField(max_length=300, required=False, allow_blank=True)
    wording = serializers.CharField(max_length=TEXT, required=False)
    reason = serializers.CharField(max_length=100, required=False, allow_blank=True)


class DecisionApproveInput(serializers.Serializer):
    """The chair's decision: approve as worded, approve in amended words, or reject."""

    outcome = serializers.ChoiceField(
        choices=[ApprovalForm.APPROVE, ApprovalForm.AMEND, ApprovalForm.REJECT]
    )
    wording = serializers.CharField(max_length=TEXT, required=False, allow_blank=True)
    comment = serializers.CharField(max_length=TEXT, required=False, allow_blank=True)
