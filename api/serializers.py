"""What the API shows of each record: the fields the pages show, in plain JSON (dates as
ISO 8601). People are shown by name, organisation and initials only: never their email,
account or anything else private."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from actions.models import REGISTER_OWNERS, Action, ActionUpdate
from changerequests.models import ChangeRequest
from core.models import GovernanceGroup, Person
from decisions.models import Decision
from documents.models import Document
from meetings.models import AgendaItem, Attendance, Meeting, MinutesIssue
from raid.models import RaidItem


class PersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class GroupSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = GovernanceGroup
        fields = ["code", "name", "level", "parent", "active"]


class PersonSerializer(serializers.ModelSerializer):
    initials = serializers.CharField(source="suggested_initials", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="name", read_only=True, allow_null=True)

    class Meta:
        model = Person
        fields = ["id", "name", "initials", "organisation"]


@extend_schema_field(
    {"type": "string", "pattern": r"^\d{2}:\d{2}$", "example": "10:00", "nullable": True}
)
class ClockTimeField(serializers.TimeField):
    """A time of day in Europe/London as the papers give it, "10:00": not an RFC 3339 time,
    which would need a UTC offset that a meeting's local time does not have."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class MeetingSerializer(serializers.ModelSerializer):
    code = serializers.CharField(read_only=True)
    group = serializers.CharField(source="group.code", read_only=True)
    start_time = ClockTimeField(read_only=True, allow_null=True)
    end_time = ClockTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "code",
            "group",
            "number",
            "point",
            "title",
            "date",
            "start_time",
            "end_time",
            "venue",
            "status",
            "held_by_correspondence",
            "minutes_issue_date",
            "minutes_approved_date",
        ]


class AttendanceSerializer(serializers.ModelSerializer):
    person = PersonRefSerializer(read_only=True)
    name = serializers.CharField(source="name_as_printed", read_only=True)

    class Meta:
        model = Attendance
        fields = ["person", "name", "initials", "category", "status", "role", "part_meeting"]


class AgendaItemSerializer(serializers.ModelSerializer):
    lead = serializers.CharField(source="lead_as_printed", read_only=True)

    class Meta:
        model = AgendaItem
        fields = ["number", "title", "lead", "objective", "item_type", "duration_minutes"]


class MinutesIssueSerializer(serializers.ModelSerializer):
    class Meta:
        model = MinutesIssue
        fields = ["number", "issued_at", "reason", "document"]


class MeetingDetailSerializer(MeetingSerializer):
    """One meeting with its attendance, agenda and the issues of its minutes (each with
    its PDF, downloaded from /api/documents/<id>/download/)."""

    attendance = AttendanceSerializer(source="attendances", many=True, read_only=True)
    agenda = AgendaItemSerializer(source="agenda_items", many=True, read_only=True)
    minutes_issues = MinutesIssueSerializer(many=True, read_only=True)

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "attendance", "agenda", "minutes_issues"]


class LatestUpdateSerializer(serializers.Serializer):
    date = serializers.DateField()
    text = serializers.CharField()


class ActionSerializer(serializers.ModelSerializer):
    group = serializers.CharField(source="group.code", read_only=True)
    meeting = serializers.SerializerMethodField()
    owners = serializers.SerializerMethodField()
    owner = serializers.CharField(source="owner_display", read_only=True)
    due = serializers.CharField(source="due_display", read_only=True)
    latest_update = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = [
            "reference",
            "group",
            "meeting",
            "area",
            "text",
            "date_raised",
            "owners",
            "owner",
            "owner_party",
            "owner_team",
            "due_kind",
            "due_date",
            "due",
            "status",
            "closed_date",
            "known_only",
            "latest_update",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_meeting(self, action):
        return action.meeting.code if action.meeting_id else None

    @extend_schema_field(PersonRefSerializer(many=True))
    def get_owners(self, action):
        ownerships = getattr(action, REGISTER_OWNERS, None)
        if ownerships is None:
            ownerships = action.ownerships.all()
        return [{"id": o.person.pk, "name": o.person.name} for o in ownerships]

    @extend_schema_field(LatestUpdateSerializer(allow_null=True))
    def get_latest_update(self, action):
        if getattr(action, "latest_update_date", None) is None:
            return None
        return {"date": action.latest_update_date, "text": action.latest_update_text}


class ActionUpdateSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.name", read_only=True, allow_null=True)
    meeting = serializers.SerializerMethodField()

    class Meta:
        model = ActionUpdate
        fields = ["date", "text", "status_set", "author", "meeting", "source", "created_at"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_meeting(self, update):
        return update.meeting.code if update.meeting_id else None


class DecisionSerializer(serializers.ModelSerializer):
    group = serializers.CharField(source="group.code", read_only=True)
    meeting = serializers.SerializerMethodField()
    wording = serializers.CharField(source="current_wording", read_only=True)
    decided_by = serializers.CharField(source="decided_by.name", read_only=True, allow_null=True)

    class Meta:
        model = Decision
        fields = [
            "reference",
            "group",
            "meeting",
            "area",
            "wording",
            "proposed_wording",
            "status",
            "decided_at",
            "decided_by",
            "by_correspondence",
            "approval_comment",
            "created_at",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_meeting(self, decision):
        return decision.meeting.code if decision.meeting_id else None


class ChangeRequestSerializer(serializers.ModelSerializer):
    group = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    raiser = serializers.CharField(source="raiser_person.name", read_only=True, allow_null=True)
    raiser_organisation = serializers.SlugRelatedField(
        slug_field="name", read_only=True, allow_null=True
    )
    change_owner = serializers.CharField(
        source="change_owner.name", read_only=True, allow_null=True
    )

    class Meta:
        model = ChangeRequest
        fields = [
            "reference",
            "title",
            "key_detail",
            "raiser",
            "raiser_organisation",
            "raiser_note",
            "change_type",
            "group",
            "decision_body",
            "approval_status",
            "stage",
            "latest_action",
            "next_action",
            "implementation_milestone",
            "change_owner",
            "date_raised",
            "ia_deadline",
            "status_updated",
        ]


class RaidItemSerializer(serializers.ModelSerializer):
    group = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    owner = serializers.CharField(source="owner.name", read_only=True, allow_null=True)
    score = serializers.IntegerField(read_only=True, allow_null=True)
    band = serializers.CharField(read_only=True)

    class Meta:
        model = RaidItem
        fields = [
            "reference",
            "raid_type",
            "group",
            "area",
            "title",
            "description",
            "owner",
            "probability",
            "impact",
            "score",
            "band",
            "mitigation",
            "status",
            "milestone",
            "date_raised",
        ]


class DocumentSerializer(serializers.ModelSerializer):
    group = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "kind",
            "version",
            "status",
            "meeting",
            "group",
            "requested_at",
            "finished_at",
        ]
