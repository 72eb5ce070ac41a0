"""People, organisations, governance groups and their memberships: what every app refers to.

A group's secretariat, chair, members and observers are Memberships; the permission module
(core/permissions.py) reads them to answer every "may this user ..." question.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

GROUP_CODE_RE = re.compile(r"^[A-Z][A-Z0-9]{1,11}$")


class Organisation(models.Model):
    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, blank=True)

    # Renames and merges by the secretariat (people/organisation_views.py): who and when.
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


def initials_from(name):
    """First letter of each part of a name: "Seth Chapman" -> "SC"."""
    return "".join(part[0] for part in name.split() if part[:1].isalpha()).upper()[:10]


class PersonQuerySet(models.QuerySet):
    def with_email(self):
        return self.exclude(email="")


class Person(models.Model):
    """Anyone named in the papers. Many action owners never log in, so an account is optional."""

    name = models.CharField(max_length=200)
    initials = models.CharField(
        max_length=10,
        blank=True,
        help_text="As the minutes print them; blank takes them from the name.",
    )
    email = models.EmailField(blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    active = models.BooleanField(default=True)
    # A programme administrator creates groups and appoints their secretariat, without
    # being a Django superuser (core.permissions.is_programme_administrator). Kept on the
    # person, which every page reads anyway, so asking costs no query of its own.
    programme_administrator = models.BooleanField(default=False)

    # Who added someone to the tracker (from a picker or the attendance page) and when.
    history = HistoricalRecords()
    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(
                fields=["email"], condition=~Q(email=""), name="person_email_unique"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("meetings:person_detail", args=[self.pk])

    def suggested_initials(self):
        """The initials given for the person, else the first letter of each part of the
        name: "Seth Chapman" -> "SC"."""
        return self.initials or initials_from(self.name)


class Classification(models.TextChoices):
    PUBLIC = "public", "Public"
    INTERNAL = "internal", "Internal"
    CONFIDENTIAL = "confidential", "Confidential"


class GroupLevel(models.IntegerChoices):
    STEERING = 2, "Level 2 – steering group"
    ADVISORY = 3, "Level 3 – advisory group"
    WORKING = 4, "Level 4 – working group"


class GovernanceGroupQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class GovernanceGroup(models.Model):
    code = models.CharField(
        max_length=12, unique=True, help_text="Short code used in references, e.g. DAG."
    )
    name = models.CharField(max_length=200)
    level = models.PositiveSmallIntegerField(choices=GroupLevel.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    active = models.BooleanField(default=True)
    terms_of_reference = models.TextField(blank=True)
    programme_label = models.CharField(
        max_length=40,
        default="Programme",
        help_text='Heading of the programme-staff attendee section in minutes, e.g. "MHHS".',
    )
    reminder_window_days = models.PositiveSmallIntegerField(
        default=7, help_text="Owners are reminded of actions due within this many days."
    )
    # The quorum the terms of reference set: an agenda item may decide only while it is met
    # (meetings/quorum.py). With none of the three set, every item is quorate.
    quorum_members = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Voting members (present, or represented by a deputy) needed for a quorum; "
        "blank for no number.",
    )
    quorum_constituencies = models.TextField(
        blank=True,
        help_text="One a line: at least one voting member whose constituency contains these "
        'words must be present, e.g. "Supplier" and "Network".',
    )
    quorum_needs_chair = models.BooleanField(
        default=False, help_text="The chair, or the named deputy, must be present."
    )
    # Published minutes: a public group's issued minutes get a public version, listed
    # without a login (meetings/public.py), due this many UK working days after the meeting.
    public = models.BooleanField(
        default=False, help_text="Its issued minutes are published for anyone to read."
    )
    publication_working_days = models.PositiveSmallIntegerField(
        default=10,
        help_text="UK working days from the meeting by which its minutes must be published.",
    )
    retention_years = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Years a closed record is kept before the secretariat reviews it for "
        "archiving or deletion; blank keeps records for good.",
    )
    deputy_chair = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Stands in for the chair towards the quorum.",
    )

    history = HistoricalRecords()
    objects = GovernanceGroupQuerySet.as_manager()

    class Meta:
        ordering = ["level", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=GROUP_CODE_RE.pattern), name="group_code_format"
            ),
            models.CheckConstraint(
                condition=Q(level__in=GroupLevel.values), name="group_level_valid"
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="group_not_own_parent"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def get_absolute_url(self):
        return reverse("meetings:group_detail", args=[self.code])

    @property
    def quorum_constituency_rules(self) -> list[str]:
        """The constituencies of which one voting member must be present, as typed."""
        return [line.strip() for line in self.quorum_constituencies.splitlines() if line.strip()]

    @property
    def has_quorum_rule(self) -> bool:
        return bool(
            self.quorum_members or self.quorum_constituency_rules or self.quorum_needs_chair
        )

    def clean(self):
        if self.code and not GROUP_CODE_RE.match(self.code):
            raise ValidationError(
                {"code": "Use 2–12 capital letters or digits, starting with a letter (e.g. DAG)."}
            )
        ancestor, seen = self.parent, set()
        while ancestor is not None:
            if ancestor.pk == self.pk or ancestor.pk in seen:
                raise ValidationError({"parent": "A group cannot report to itself."})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", "Secretariat"
    CHAIR = "chair", "Chair"
    MEMBER = "member", "Member"
    OBSERVER = "observer", "Observer"


class Membership(models.Model):
    group = models.ForeignKey(GovernanceGroup, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.MEMBER)
    constituency = models.CharField(
        max_length=200, blank=True, help_text='e.g. "Large Supplier Representative".'
    )
    active = models.BooleanField(default=True)
    voting = models.BooleanField(
        default=True,
        help_text="Counts towards the quorum (only members and the chair vote).",
    )
    deputy = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deputy_for",
        verbose_name="standing deputy",
        help_text="Attends in the member's place when they cannot.",
    )
    start_date = models.DateField(null=True, blank=True, verbose_name="from")
    end_date = models.DateField(
        null=True, blank=True, verbose_name="until", help_text="Set when the membership ends."
    )

    # Who joined, left or changed role, when and by whom: shown on the group page.
    history = HistoricalRecords()

    class Meta:
        ordering = ["group", "role", "person__name"]
        constraints = [
            # One current membership per role; former ones are kept beside it, so someone
            # who leaves and comes back shows both periods.
            models.UniqueConstraint(
                fields=["group", "person", "role"],
                condition=Q(active=True),
                name="membership_unique_current_role",
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="membership_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(deputy=models.F("person")), name="membership_deputy_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.get_role_display()} of {self.group.code}"

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "A membership cannot end before it starts."
        if self.deputy_id and self.deputy_id == self.person_id:
            errors["deputy"] = "Someone cannot be their own deputy."
        if errors:
            raise ValidationError(errors)

    @property
    def votes(self) -> bool:
        """Counts towards the group's quorum: a voting member or chair."""
        return self.voting and self.role in VOTING_ROLES


# Secretariat and observers attend but never count towards a quorum.
VOTING_ROLES = {Role.CHAIR, Role.MEMBER}


class Mention(models.Model):
    """A reference (CR032, DAG29-01, DAG-DEC76, R184) named in the text of a record: an
    action (its text, area or an update), a decision, a RAID item (or one of its reviews),
    the minutes of an agenda item. Written by core/mentions.py whenever such a text is
    saved, so the pages that list where a record is named (the change request's page) read
    an index instead of scanning every text with a regular expression."""

    reference = models.CharField(max_length=80)
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["reference", "content_type", "object_id"], name="mention_unique"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="mention_record")]

    def __str__(self):
        return f"{self.reference} in {self.content_type.model} {self.object_id}"
