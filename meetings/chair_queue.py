"""What awaits a chair: proposed decisions, issued minutes, actions recommended for closure
and correspondence rounds to conclude, in the groups they chair (every group for
superusers). It composes the registers, so it lives here, above them."""

from actions.models import Action, ActionStatus
from core.permissions import Perm, groups_for
from decisions.minutes_papers import minutes_awaiting_approval
from decisions.models import CorrespondenceRound, Decision

from .models import Meeting


def _in_groups(queryset, user):
    if user.is_superuser:
        return queryset
    return queryset.filter(group__in=groups_for(user, Perm.APPROVE))


def queue_querysets(user):
    """{section: queryset}, each narrowed to the user's chaired groups."""
    return {
        "decisions": _in_groups(Decision.objects.awaiting_chair(), user),
        "minutes": _in_groups(minutes_awaiting_approval(Meeting.objects.all()), user),
        "actions": _in_groups(Action.objects.filter(status=ActionStatus.RECOMMEND_CLOSED), user),
        "rounds": _in_groups(CorrespondenceRound.objects.open(), user),
    }


def chair_queue_count(user) -> int:
    """Everything awaiting the chair, in one query (a UNION ALL of the four sections)."""
    first, *others = (qs.order_by().values_list("pk") for qs in queue_querysets(user).values())
    return first.union(*others, all=True).count()
