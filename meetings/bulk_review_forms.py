"""The bulk step form of the review of open actions (meetings/bulk_review.py): which of the
page's actions, what to do with them, and the date, update text or new due date it needs.

The checkboxes sit in the review's rows and belong to this form through their `form`
attribute, so the page keeps one form per job and works without JavaScript. Each action's
version, as the page showed it, comes in a hidden "version-<pk>" field."""

from django import forms

from core.permissions import Perm, user_can
from core.widgets import DateField

from .forms import MAX_MINUTES_LENGTH
from .review_batches import BulkOperation

# The right each step needs on every chosen action.
NEEDS = {
    BulkOperation.CLOSE: (Perm.CLOSE_ACTION, "close"),
    BulkOperation.RECOMMEND_CLOSED: (Perm.UPDATE_ACTION, "update"),
    BulkOperation.UPDATE: (Perm.UPDATE_ACTION, "update"),
    BulkOperation.DUE_DATE: (Perm.EDIT, "change the due date of"),
}


class BulkReviewForm(forms.Form):
    selected = forms.TypedMultipleChoiceField(
        coerce=int,
        label="Actions chosen",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one action."},
    )
    operation = forms.ChoiceField(
        choices=BulkOperation.choices,
        widget=forms.RadioSelect,
        label="What to do with the chosen actions",
    )
    date = DateField(label="Date of the updates")
    due_date = DateField(
        required=False,
        label="New due date",
        help_text='Needed for "Set a new due date".',
    )
    text = forms.CharField(
        required=False,
        max_length=MAX_MINUTES_LENGTH,
        label="Update recorded on each chosen action",
        help_text='Needed for "Add an update"; otherwise it replaces the usual sentence.',
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, actions, user, **kwargs):
        kwargs.setdefault("prefix", "bulk")
        super().__init__(*args, **kwargs)
        self.actions = {action.pk: action for action in actions}
        self.user = user
        self.fields["selected"].choices = [
            (action.pk, f"Choose {action.reference}") for action in actions
        ]
        # The boxes sit in the review's rows, outside this form's element.
        self.fields["selected"].widget.attrs["form"] = "bulk-form"

    def clean(self):
        cleaned = super().clean()
        operation = cleaned.get("operation")
        if operation == BulkOperation.DUE_DATE and not cleaned.get("due_date"):
            self.add_error("due_date", "Give the new due date.")
        if operation == BulkOperation.UPDATE and not cleaned.get("text", "").strip():
            self.add_error("text", "Say what was reported.")
        chosen = [self.actions[pk] for pk in cleaned.get("selected", [])]
        if operation:
            perm, verb = NEEDS[BulkOperation(operation)]
            refused = [a.reference for a in chosen if not user_can(self.user, perm, a)]
            if refused:
                self.add_error("selected", f"You may not {verb} {', '.join(refused)}.")
        self.actions_versions = []
        for action in chosen:
            try:
                version = int(self.data.get(f"version-{action.pk}", ""))
            except ValueError:
                self.add_error(None, "The page was out of date: reload it and choose again.")
                break
            self.actions_versions.append((action, version))
        return cleaned
