"""What awaits a chair: proposed decisions, issued minutes, actions recommended for closure
and correspondence rounds to conclude, in the groups they chair (every group for superusers)."""

from actions.models import Action, ActionStatus
from meetings.models import Meeting, MeetingStatus, Role
from meetings.permissions import roles_by_group

from .models import CorrespondenceRound, Decision, DecisionStatus


def chaired_group_ids(user):
    """Ids of the groups the user chairs; None for a superuser (every group)."""
    if user.is_superuser:
        return None
    return {group_id for group_id, roles in roles_by_group(user).items() if Role.CHAIR in roles}


def is_chair(user) -> bool:
    return user.is_authenticated and (user.is_superuser or bool(chaired_group_ids(user)))


def _in_groups(queryset, group_ids):
    return queryset if group_ids is None else queryset.filter(group_id__in=group_ids)


def queue_querysets(user):
    """{section: queryset}, each narrowed to the user's chaired groups."""
    group_ids = chaired_group_ids(user)
    return {
        "decisions": _in_groups(Decision.objects.awaiting_chair(), group_ids),
        # Minutes out for correspondence wait in their round instead.
        "minutes": _in_groups(
            Meeting.objects.filter(status=MeetingStatus.MINUTES_ISSUED).exclude(
                minutes_decisions__status=DecisionStatus.PROPOSED
            ),
            group_ids,
        ),
        "actions": _in_groups(
            Action.objects.filter(status=ActionStatus.RECOMMEND_CLOSED), group_ids
        ),
        "rounds": _in_groups(CorrespondenceRound.objects.open(), group_ids),
    }


def chair_queue_count(user) -> int:
    """Everything awaiting the chair, in one query (a UNION ALL of the four sections)."""
    first, *others = (qs.order_by().values_list("pk") for qs in queue_querysets(user).values())
    return first.union(*others, all=True).count()
