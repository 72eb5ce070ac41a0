"""The decision log through the API: the log's filters (decisions/filters.py), one
decision, proposing one (the group's secretariat, as "Record a decision") and the chair's
approval (Perm.APPROVE: the chair of its group), through the page's forms and the
decisions services."""

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action as route
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from actions.models import Action
from changerequests.models import ChangeRequest
from core.permissions import Perm, filter_visible, groups_for, user_can
from decisions import services
from decisions.filters import DecisionFilter
from decisions.forms import ApprovalForm, DecisionCorrectForm, DecisionForm
from decisions.models import Decision, DecisionStatus

from . import inputs, serializers
from .base import ApiViewSet, patched_form, valid_form, validated_input
from .etags import matched_version, with_etag


class DecisionViewSet(mixins.ListModelMixin, ApiViewSet):
    """Decisions of the user's groups, newest first."""

    serializer_class = serializers.DecisionSerializer
    filterset_class = DecisionFilter
    filterset_wants_user = True
    lookup_field = "reference"
    cursor_ordering = ("-created_at", "-pk")
    http_method_names = ["get", "post", "patch", "head", "options"]
    record_perms = {"approve": Perm.APPROVE, "partial_update": Perm.EDIT}

    def get_queryset(self):
        return filter_visible(
            self.request.user,
            Decision.objects.with_current_wording().select_related(
                "group", "meeting__group", "decided_by"
            ),
        )

    def retrieve(self, request, reference=None):
        decision = self.get_object()
        return with_etag(Response(self.get_serializer(decision).data), decision)

    @extend_schema(
        request=inputs.DecisionProposeInput, responses={201: serializers.DecisionSerializer}
    )
    def create(self, request):
        """Propose a decision for the chair (the group's secretariat)."""
        user = request.user
        data = validated_input(inputs.DecisionProposeInput, request)
        group = groups_for(user).filter(code=data["group"]).first()
        if group is None:
            raise ValidationError({"group": [f"You have no group {data['group']}."]})
        if not user_can(user, Perm.EDIT, group):
            raise PermissionDenied("Only the group's secretariat records decisions.")
        groups = groups_for(user, Perm.EDIT).active()
        form = DecisionForm(
            inputs.form_data({**data, "group": group.pk}),
            groups=groups,
            change_requests=filter_visible(user, ChangeRequest.objects.all()),
            actions=filter_visible(user, Action.objects.filter(group__in=groups)),
        )
        cleaned = valid_form(form)
        with transaction.atomic():
            decision = services.decision_create(
                group=cleaned["group"],
                meeting=cleaned["meeting"],
                area=cleaned["area"],
                wording=cleaned["wording"],
                change_requests=cleaned["change_requests"],
                actions=cleaned["actions"],
                reference=cleaned["reference"],
            )
        decision = self.get_queryset().get(pk=decision.pk)
        response = Response(self.get_serializer(decision).data, status=status.HTTP_201_CREATED)
        return with_etag(response, decision)

    @extend_schema(request=inputs.DecisionCorrectInput, responses=serializers.DecisionSerializer)
    def partial_update(self, request, reference=None):
        """Correct a proposed decision's wording or area before the chair decides it (the
        group's secretariat). Needs If-Match with its ETag: 428 without, 412 if it changed
        meanwhile; nothing is saved then."""
        decision = self.get_object()
        version = matched_version(request, decision)
        data = validated_input(inputs.DecisionCorrectInput, request)
        if problem := services.correctable_problem(decision):
            raise ValidationError({"wording": [problem]})
        cleaned = valid_form(
            patched_form(DecisionCorrectForm, decision, inputs.form_data(data), version)
        )
        services.decision_correct(
            decision=decision,
            version=cleaned["version"],
            reason=cleaned["reason"],
            area=cleaned["area"],
            wording=cleaned["wording"],
        )
        decision = self.get_queryset().get(pk=decision.pk)
        return with_etag(Response(self.get_serializer(decision).data), decision)

    @extend_schema(request=inputs.DecisionApproveInput, responses=serializers.DecisionSerializer)
    @route(detail=True, methods=["post"])
    def approve(self, request, reference=None):
        """The chair of the decision's group: approve it as worded, in amended words, or
        reject it. Refused (400) once decided, or while it is out for correspondence."""
        decision = self.get_object()
        data = validated_input(inputs.DecisionApproveInput, request)
        if decision.status != DecisionStatus.PROPOSED or decision.correspondence_round_id:
            raise ValidationError({"outcome": [f"{decision.reference} is not awaiting approval."]})
        form = ApprovalForm(inputs.form_data(data), decision=decision)
        cleaned = valid_form(form)
        if cleaned["outcome"] == ApprovalForm.REJECT:
            services.decision_reject(
                decision=decision, user=request.user, comment=cleaned["comment"]
            )
        else:
            amended = cleaned["outcome"] == ApprovalForm.AMEND
            services.decision_approve(
                decision=decision,
                user=request.user,
                wording=cleaned["wording"] if amended else None,
                comment=cleaned["comment"],
            )
        decision = self.get_queryset().get(pk=decision.pk)
        return with_etag(Response(self.get_serializer(decision).data), decision)
