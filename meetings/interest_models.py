"""Interests: what an attendee declared at an agenda item (and whether they left the room
for it, which takes them out of the item's quorum), and each group's register of its
members' standing interests. Both keep their history, as every governance record does."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.models import GovernanceGroup, Person


class InterestDeclaration(models.Model):
    """ "SC declared an interest and left for item 5": printed in the item's minutes."""

    agenda_item = models.ForeignKey(
        "meetings.AgendaItem", on_delete=models.CASCADE, related_name="interest_declarations"
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="interest_declarations"
    )
    interest = models.CharField(
        max_length=300,
        blank=True,
        help_text='What the interest is, as the minutes give it, e.g. "Employed by a bidder".',
    )
    recused = models.BooleanField(
        default=False,
        help_text="They left the meeting for the item: not counted towards its quorum.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["agenda_item", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agenda_item", "person"], name="interest_declared_once_per_item"
            ),
        ]

    def __str__(self):
        return f"{self.person} at {self.agenda_item}"


class RegisteredInterestQuerySet(models.QuerySet):
    def current(self, on_date):
        """Interests held on `on_date`: declared by then and not yet ended."""
        return self.filter(
            Q(declared_on__lte=on_date), Q(ended_on__isnull=True) | Q(ended_on__gt=on_date)
        )


class RegisteredInterest(models.Model):
    """A standing interest of a member of the group, as its register of interests lists it;
    ended (never deleted) when it no longer applies, so the register at any date is known."""

    group = models.ForeignKey(
        GovernanceGroup, on_delete=models.CASCADE, related_name="registered_interests"
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="registered_interests"
    )
    interest = models.CharField(max_length=300)
    declared_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()
    objects = RegisteredInterestQuerySet.as_manager()

    class Meta:
        ordering = ["group", "person__name", "declared_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("declared_on")),
                name="registered_interest_ends_after_declared",
            ),
            models.CheckConstraint(condition=~Q(interest=""), name="registered_interest_not_blank"),
        ]

    def __str__(self):
        return f"{self.person}: {self.interest}"

    def clean(self):
        if self.ended_on and self.declared_on and self.ended_on < self.declared_on:
            raise ValidationError({"ended_on": "It cannot end before it was declared."})
