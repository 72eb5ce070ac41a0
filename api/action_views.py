"""The action register through the API: the register's filters (actions/filters.py), one
action with its updates, raising an action at a meeting, the secretariat's correction
(PATCH with If-Match), and the updates that recommend closing or close it. Each write runs
the page's form and the actions services, with the page's permission checks
(core.permissions):
- read: anyone with a role in the action's group;
- raise: the group's secretariat, at a meeting that has started and whose minutes are not
  issued (Perm.EDIT on the meeting);
- correct: the group's secretariat (Perm.EDIT);
- post an update, recommend closing: the action's owners, the chair and the secretariat
  (Perm.UPDATE_ACTION); closing and reopening: the chair and the secretariat
  (Perm.CLOSE_ACTION).
"""

from django.db import transaction
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action as route
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from actions.forms import ActionCorrectForm, ActionUpdateForm
from actions.models import Action, ActionStatus
from actions.services import action_correct, action_create, action_post_update
from core.permissions import Perm, filter_visible, get_object_for_user, user_can
from meetings.inline_forms import RaiseActionForm
from meetings.models import Meeting
from meetings.services import MeetingLocked, lock_for_edit, require_started

from . import inputs, serializers
from .base import ApiViewSet, patched_form, valid_form, validated_input
from .etags import matched_version, with_etag
from .filters import ApiActionFilter


class ActionViewSet(mixins.ListModelMixin, ApiViewSet):
    """Actions of the user's groups: not closed ones unless ?status= says otherwise."""

    serializer_class = serializers.ActionSerializer
    filterset_class = ApiActionFilter
    lookup_field = "reference"
    cursor_ordering = ("sort_key", "pk")
    http_method_names = ["get", "post", "patch", "head", "options"]
    record_perms = {
        "partial_update": Perm.EDIT,
        "updates": Perm.VIEW,  # posting one is checked as the page checks it
        "recommend_closed": Perm.UPDATE_ACTION,
        "close": Perm.CLOSE_ACTION,
    }

    def get_queryset(self):
        return filter_visible(
            self.request.user,
            Action.objects.for_register().select_related("group", "meeting__group"),
        )

    def retrieve(self, request, reference=None):
        """One action, with its ETag (send it back in If-Match to correct it)."""
        action = self.get_object()
        return with_etag(Response(self.get_serializer(action).data), action)

    @extend_schema(request=inputs.ActionCreateInput, responses={201: serializers.ActionSerializer})
    def create(self, request):
        """Raise an action at an agenda item of a meeting (the group's secretariat)."""
        data = validated_input(inputs.ActionCreateInput, request)
        meeting = get_object_for_user(
            request.user, Meeting.objects.select_related("group"), Perm.EDIT, pk=data["meeting"]
        )
        try:
            with transaction.atomic():
                meeting = lock_for_edit(meeting)
                item = meeting.agenda_items.filter(number=data["agenda_item"]).first()
                if item is None:
                    raise ValidationError({"agenda_item": [f"{meeting.code} has no such item."]})
                form = RaiseActionForm(inputs.form_data(data), meeting=meeting)
                cleaned = valid_form(form)
                require_started(meeting)
                action = action_create(
                    group=meeting.group,
                    meeting=meeting,
                    agenda_item=item,
                    date_raised=meeting.date,
                    **{
                        name: cleaned[name]
                        for name in (
                            "text",
                            "area",
                            "owners",
                            "owner_party",
                            "owner_team",
                            "owner_printed",
                            "new_people",
                            "due_kind",
                            "due_date",
                            "reference",
                        )
                    },
                )
        except MeetingLocked as locked:
            raise ValidationError({"meeting": locked.messages}) from None
        action = self.get_queryset().get(pk=action.pk)
        response = Response(self.get_serializer(action).data, status=status.HTTP_201_CREATED)
        return with_etag(response, action)

    @extend_schema(request=inputs.ActionCorrectInput, responses=serializers.ActionSerializer)
    def partial_update(self, request, reference=None):
        """Correct the action (the group's secretariat). Needs If-Match with its ETag: 428
        without, 412 if it changed meanwhile; nothing is saved then."""
        action = self.get_object()
        version = matched_version(request, action)
        data = validated_input(inputs.ActionCorrectInput, request)
        form = patched_form(ActionCorrectForm, action, inputs.form_data(data), version)
        cleaned = valid_form(form)
        action_correct(
            action=action,
            version=cleaned["version"],
            owners=cleaned["owners"],
            new_people=cleaned["new_people"],
            reason=cleaned["reason"],
            owner_printed=cleaned["owner_printed"],
            owner_team=cleaned["owner_team"],
            **{name: cleaned[name] for name in form.Meta.fields if name != "owners"},
        )
        action = self.get_queryset().get(pk=action.pk)
        return with_etag(Response(self.get_serializer(action).data), action)

    @extend_schema(
        methods=["GET"], responses=serializers.ActionUpdateSerializer(many=True), filters=False
    )
    @extend_schema(
        methods=["POST"],
        request=inputs.ActionUpdateInput,
        responses={201: serializers.ActionUpdateSerializer},
    )
    @route(detail=True, methods=["get", "post"], pagination_class=None, filterset_class=None)
    def updates(self, request, reference=None):
        """GET: the action's dated updates, newest first. POST: a new update with the
        status it sets (its owners, the chair and the secretariat; CLOSED, and reopening,
        only the chair and the secretariat)."""
        action = self.get_object()
        if request.method == "GET":
            updates = action.updates.select_related("author", "meeting__group")
            return Response(serializers.ActionUpdateSerializer(updates, many=True).data)
        data = validated_input(inputs.ActionUpdateInput, request)
        return self._post_update(request, action, data, data.get("status", ""))

    @extend_schema(
        request=inputs.ActionStatusInput, responses={201: serializers.ActionUpdateSerializer}
    )
    @route(detail=True, methods=["post"], url_path="recommend-closed")
    def recommend_closed(self, request, reference=None):
        """Recommend the action be closed (its owners, the chair and the secretariat); the
        group agrees it at its next meeting."""
        action = self.get_object()
        data = validated_input(inputs.ActionStatusInput, request)
        return self._post_update(request, action, data, ActionStatus.RECOMMEND_CLOSED)

    @extend_schema(
        request=inputs.ActionStatusInput, responses={201: serializers.ActionUpdateSerializer}
    )
    @route(detail=True, methods=["post"])
    def close(self, request, reference=None):
        """Close the action (the chair and the secretariat), with the update that says why."""
        action = self.get_object()
        data = validated_input(inputs.ActionStatusInput, request)
        return self._post_update(request, action, data, ActionStatus.CLOSED)

    def _post_update(self, request, action, data, status_set):
        """As the action's page posts an update: the same checks, form and service."""
        user = request.user
        if not user_can(user, Perm.UPDATE_ACTION, action):
            raise PermissionDenied("Only the action's owners and the secretariat may update it.")
        may_close = user_can(user, Perm.CLOSE_ACTION, action)
        if not action.is_open and not may_close:
            raise PermissionDenied("Only the chair or the secretariat may reopen a closed action.")
        may_edit = user_can(user, Perm.EDIT, action)
        values = {**data, "status": status_set}
        values.setdefault("date", timezone.localdate())
        form = ActionUpdateForm(
            inputs.form_data(values), action=action, may_close=may_close, may_edit=may_edit
        )
        cleaned = valid_form(form)
        update = action_post_update(
            action=action,
            text=cleaned["text"],
            date=cleaned["date"],
            status=cleaned["status"],
            meeting=cleaned["meeting"],
            due_date=cleaned["due_date"],
            user=user,
            may_edit=may_edit,
        )
        return Response(
            serializers.ActionUpdateSerializer(update).data, status=status.HTTP_201_CREATED
        )
