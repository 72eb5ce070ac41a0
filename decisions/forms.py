"""Forms of the decision pages. Querysets are narrowed to what the user may act on by the
views, which pass the groups or records in. Meetings are reached through the groups and the
model form's own meeting field (a MeetingQuerySet): decisions do not import meetings."""

from django import forms
from django.utils import timezone

from changerequests.models import ApprovalStatus, ChangeRequest
from core.references import TypedReferenceField
from core.versions import VersionedFormMixin
from core.widgets import DateField

from .minutes_papers import headlines_awaiting_approval, minutes_awaiting_approval
from .models import Decision, ResponseChoice


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, meeting):
        return f"{meeting.code} ({meeting.date:%d/%m/%Y})"


class ReferenceListField(forms.CharField):
    """References typed as "CR032, CR044" (commas or spaces), found among `queryset`."""

    def __init__(self, *, queryset=None, noun="record", **kwargs):
        self.queryset, self.noun = queryset, noun
        super().__init__(required=False, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        references = list(dict.fromkeys(value.replace(",", " ").upper().split()))
        if not references:
            return []
        found = {
            obj.reference.upper(): obj for obj in self.queryset.filter(reference__in=references)
        }
        missing = [ref for ref in references if ref not in found]
        if missing:
            raise forms.ValidationError(f"No {self.noun} {', '.join(missing)} in your groups.")
        return [found[ref] for ref in references]


class DecisionForm(forms.ModelForm):
    """The secretariat records a proposed decision for the chair to approve."""

    change_requests = ReferenceListField(noun="change request", help_text="e.g. CR032, CR044")
    actions = ReferenceListField(noun="action", help_text="e.g. DAG29-01")
    reference = TypedReferenceField(model=Decision, next_example="the group's next DAG-DEC number")

    class Meta:
        model = Decision
        fields = ["group", "meeting", "area", "wording"]
        widgets = {"wording": forms.Textarea(attrs={"rows": 4})}
        labels = {"wording": "Proposed wording"}
        help_texts = {
            "meeting": "The meeting it was proposed at, if any.",
            "area": "Usually the agenda item or the CR, e.g. CR032 Impact Assessment.",
        }
        field_classes = {"meeting": MeetingChoiceField}

    def __init__(self, *args, groups, change_requests, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        self.fields["group"].empty_label = None
        self.fields["meeting"].queryset = (
            self.fields["meeting"]
            .queryset.filter(group__in=groups)
            .open_for_records()
            .select_related("group")
            .order_by("group__code", "-date")
        )
        self.fields["change_requests"].queryset = change_requests
        self.fields["actions"].queryset = actions

    def clean_meeting(self):
        meeting = self.cleaned_data["meeting"]
        if meeting is not None and meeting.minutes_locked:
            raise forms.ValidationError(
                f"The minutes of {meeting.code} have been issued, so they take no new "
                "decisions. Reopen them first, or leave the meeting empty."
            )
        # A meeting takes decisions once it has started (the meetings app's one rule).
        if meeting is not None and meeting.pk != self.instance.meeting_id:
            reason = meeting.records_closed_reason()
            if reason:
                raise forms.ValidationError(reason)
        return meeting

    def clean(self):
        cleaned = super().clean()
        group = cleaned.get("group")
        for action in cleaned.get("actions") or []:
            if group is not None and action.group_id != group.pk:
                self.add_error("actions", f"{action.reference} belongs to another group.")
        return cleaned


class ApprovalForm(forms.Form):
    """The chair's decision on a proposed decision."""

    APPROVE, AMEND, REJECT = "approve", "amend", "reject"
    outcome = forms.ChoiceField(
        choices=[
            (APPROVE, "Approve as worded"),
            (AMEND, "Approve with amended wording"),
            (REJECT, "Reject"),
        ],
        widget=forms.RadioSelect,
        initial=APPROVE,
    )
    wording = forms.CharField(
        label="Amended wording",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="To amend, edit the words here and choose “Approve with amended wording”; "
        "the proposed words are kept on record.",
    )
    comment = forms.CharField(
        label="Comment", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, decision, **kwargs):
        self.decision = decision
        kwargs.setdefault("initial", {"wording": decision.wording})
        super().__init__(*args, **kwargs)
        # Recorded at an item that was not quorate, the decision stands only on the chair's
        # word (or by correspondence): the form asks for it, saying why.
        self.quorum_problem = decision.quorum_problem()
        if self.quorum_problem:
            self.fields["confirm_quorum"] = forms.BooleanField(
                required=False,
                label="I confirm this decision stands although the item was not quorate",
                help_text=f"{self.quorum_problem} Otherwise leave it proposed and send it for "
                "approval by correspondence.",
            )

    def clean(self):
        cleaned = super().clean()
        outcome = cleaned.get("outcome")
        wording = cleaned.get("wording", "").strip()
        changed = wording != self.decision.wording.strip()
        if outcome == self.AMEND:
            if not wording:
                self.add_error("wording", "Write the amended wording.")
            elif not changed:
                self.add_error(
                    "wording", "The wording is unchanged: choose “Approve as worded” instead."
                )
        elif outcome == self.APPROVE and wording and changed:
            # Edited words must never be dropped silently in favour of the proposed ones.
            self.add_error(
                "wording",
                "You changed the wording: choose “Approve with amended wording” to approve "
                "your words, or undo the change to approve the proposed words.",
            )
        return cleaned


class DecisionCorrectForm(VersionedFormMixin, forms.ModelForm):
    """The secretariat's correction of a proposed decision, before the chair decides it."""

    reason = forms.CharField(
        label="Why the correction",
        required=False,
        max_length=100,
        help_text="Kept in the decision's history, e.g. “Wording mistyped in the minutes”.",
    )

    class Meta:
        model = Decision
        fields = ["area", "wording"]
        widgets = {"wording": forms.Textarea(attrs={"rows": 4})}
        labels = {"wording": "Proposed wording"}
        help_texts = {"area": "Usually the agenda item or the CR, e.g. CR032 Impact Assessment."}


class RevisionForm(forms.Form):
    wording = forms.CharField(label="Corrected wording", widget=forms.Textarea(attrs={"rows": 4}))
    reason = forms.CharField(
        label="Reason for the correction", widget=forms.Textarea(attrs={"rows": 3})
    )


class RoundForm(forms.Form):
    """The secretariat opens a round for items of one group."""

    title = forms.CharField(max_length=200, help_text="e.g. DAG headline reports February–May 2024")
    deadline = DateField(
        label="Respond by", help_text="dd/mm/yyyy; links stop working at the end of this day."
    )
    message = forms.CharField(
        label="Message to members",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    decisions = forms.ModelMultipleChoiceField(
        label="Proposed decisions",
        queryset=Decision.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    minutes_of = forms.ModelMultipleChoiceField(
        label="Minutes awaiting approval",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    headline = forms.BooleanField(
        label="Include the Headline Reports of those meetings",
        required=False,
        initial=True,
        help_text="Headline reports approved already are left out.",
    )
    headline_of = forms.ModelMultipleChoiceField(
        label="Headline Reports on their own",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    change_requests = forms.ModelMultipleChoiceField(
        label="Change requests for approval",
        queryset=ChangeRequest.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decisions"].queryset = group.decisions.awaiting_chair().order_by("reference")
        self.fields["decisions"].label_from_instance = lambda d: f"{d.reference}: {d.wording}"
        meetings = group.meetings.select_related("group").order_by("date")
        self.fields["minutes_of"].queryset = minutes_awaiting_approval(meetings)
        self.fields["headline_of"].queryset = headlines_awaiting_approval(
            meetings, timezone.localdate()
        )
        for name in ("minutes_of", "headline_of"):
            self.fields[name].label_from_instance = lambda m: f"{m.code}, held {m.date:%d/%m/%Y}"
        self.fields["change_requests"].queryset = ChangeRequest.objects.filter(
            group=group, approval_status=ApprovalStatus.OPEN
        ).order_by("reference")

    def clean_title(self):
        # It goes into the emails' subject line, where a line break is not allowed.
        return " ".join(self.cleaned_data["title"].split())

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline <= timezone.localdate():
            raise forms.ValidationError("The deadline must be after today.")
        return deadline

    def clean(self):
        cleaned = super().clean()
        items = ("decisions", "minutes_of", "headline_of", "change_requests")
        if not any(cleaned.get(name) for name in items):
            raise forms.ValidationError(
                "Choose at least one decision, set of minutes, headline report or change request."
            )
        return cleaned


class ResponseForm(forms.Form):
    """A member's answer on each item of a round: one choice and comment per decision."""

    def __init__(self, *args, decisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.decisions = list(decisions)
        for decision in self.decisions:
            self.fields[f"choice_{decision.pk}"] = forms.ChoiceField(
                label=f"Your answer on {decision.reference}",
                choices=ResponseChoice.choices,
                widget=forms.RadioSelect,
            )
            self.fields[f"comment_{decision.pk}"] = forms.CharField(
                label=f"Comment on {decision.reference}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def items(self):
        """(decision, choice field, comment field) for the template."""
        return [
            (decision, self[f"choice_{decision.pk}"], self[f"comment_{decision.pk}"])
            for decision in self.decisions
        ]

    def clean(self):
        cleaned = super().clean()
        for decision in self.decisions:
            choice = cleaned.get(f"choice_{decision.pk}")
            comment = cleaned.get(f"comment_{decision.pk}", "").strip()
            if choice in (ResponseChoice.OBJECT, ResponseChoice.COMMENT) and not comment:
                self.add_error(
                    f"comment_{decision.pk}", "Say why you object, or write your comment."
                )
        return cleaned

    def answers(self):
        return {
            decision: (
                self.cleaned_data[f"choice_{decision.pk}"],
                self.cleaned_data.get(f"comment_{decision.pk}", ""),
            )
            for decision in self.decisions
        }


class ConcludeForm(forms.Form):
    """The chair's outcome for each decision of a round."""

    comment = forms.CharField(
        label="Comment", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, decisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.decisions = list(decisions)
        for decision in self.decisions:
            self.fields[f"outcome_{decision.pk}"] = forms.ChoiceField(
                label=f"Outcome for {decision.reference}",
                choices=[("approve", "Approve"), ("reject", "Reject")],
                widget=forms.RadioSelect,
            )

    def items(self):
        return [(decision, self[f"outcome_{decision.pk}"]) for decision in self.decisions]

    def outcomes(self):
        return {
            decision.pk: self.cleaned_data[f"outcome_{decision.pk}"] == "approve"
            for decision in self.decisions
        }
