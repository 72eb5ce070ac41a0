"""The API's read-only registers: groups, people, meetings, change requests, RAID items and
documents (with the download of a ready PDF). Who may read what is core.permissions':
a record of a group the user has no role in is never listed and is 404."""

from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action

from changerequests.filters import ChangeRequestFilter
from changerequests.models import ChangeRequest
from core.models import Person
from core.permissions import filter_visible, groups_for, may_see_people, visible_group_ids
from documents.models import Document, DocumentStatus
from documents.rendering import file_name
from meetings.models import Attendance, Meeting
from raid.models import RaidItem

from . import serializers
from .base import ApiViewSet
from .etags import with_etag
from .filters import ApiRaidFilter, MeetingFilter

# A database id in the address: anything else is not found (404), never read as a number.
ID = r"[0-9]{1,18}"


class ReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    # A record's GET carries its version as ETag (core/versions.py: its history).
    versioned = True

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        return with_etag(response, self._record) if self.versioned else response

    def get_object(self):
        self._record = super().get_object()
        return self._record


class GroupViewSet(ReadViewSet):
    """The governance groups the user has a role in (every group for an administrator)."""

    serializer_class = serializers.GroupSerializer
    lookup_field = "code"
    cursor_ordering = ("code",)

    def get_queryset(self):
        return groups_for(self.request.user).select_related("parent")


class PersonViewSet(ReadViewSet):
    """The people directory (programme-wide: anyone with a role in some group reads it):
    name, organisation and initials only."""

    lookup_value_regex = ID

    serializer_class = serializers.PersonSerializer
    cursor_ordering = ("name", "pk")

    def get_queryset(self):
        if not may_see_people(self.request.user):
            return Person.objects.none()
        return Person.objects.select_related("organisation")


class MeetingViewSet(ReadViewSet):
    """Meetings of the user's groups; one meeting with its attendance, agenda and the
    issues of its minutes."""

    serializer_class = serializers.MeetingSerializer
    lookup_value_regex = ID
    filterset_class = MeetingFilter
    cursor_ordering = ("-date", "-pk")

    def get_queryset(self):
        return filter_visible(self.request.user, Meeting.objects.select_related("group"))

    def detail_queryset(self):
        return self.get_queryset().prefetch_related(
            Prefetch(
                "attendances",
                queryset=Attendance.objects.select_related("person").order_by(
                    "order", "person__name"
                ),
            ),
            "agenda_items__lead",
            "minutes_issues",
        )

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.MeetingDetailSerializer
        return super().get_serializer_class()


class ChangeRequestViewSet(ReadViewSet):
    """Change requests of the user's groups and the programme-wide ones, with the CR
    register's filters."""

    serializer_class = serializers.ChangeRequestSerializer
    filterset_class = ChangeRequestFilter
    lookup_field = "reference"
    cursor_ordering = ("reference",)

    def get_queryset(self):
        return filter_visible(self.request.user, ChangeRequest.objects.for_register())


class RaidItemViewSet(ReadViewSet):
    """RAID items of the user's groups and the programme-wide ones, with the RAID log's
    filters (open ones unless ?status=all)."""

    serializer_class = serializers.RaidItemSerializer
    filterset_class = ApiRaidFilter
    lookup_field = "reference"
    cursor_ordering = ("reference",)

    def get_queryset(self):
        return filter_visible(self.request.user, RaidItem.objects.for_register())


class DocumentViewSet(ReadViewSet):
    """Rendered PDFs of the user's groups and of their meetings, every version; a ready
    one downloads."""

    serializer_class = serializers.DocumentSerializer
    lookup_value_regex = ID
    # A rendered version is never edited (a new render is a new version): no history, no ETag.
    versioned = False
    cursor_ordering = ("-requested_at", "-pk")

    def get_queryset(self):
        documents = Document.objects.select_related("group", "meeting__group")
        group_ids = visible_group_ids(self.request.user)
        if group_ids is None:
            return documents
        # A document belongs to a group or to a meeting (core.permissions.group_id_of).
        return documents.filter(Q(group__in=group_ids) | Q(meeting__group__in=group_ids))

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True)
    def download(self, request, pk=None):
        """The PDF of a ready version (404 while it is queued or rendering, or failed)."""
        document = self.get_object()
        if document.status != DocumentStatus.READY:
            raise Http404("This version has no file.")
        return FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=file_name(document),
            content_type="application/pdf",
        )
