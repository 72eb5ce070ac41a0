"""What awaits a chair: proposed decisions, issued minutes, actions recommended for closure
and correspondence rounds to conclude, in the groups they chair (every group for superusers)."""

from actions.models import Action, ActionStatus
from core.models import Role
from core.permissions import roles_by_group
from meetings.models import Meeting, MeetingStatus

from .models import HEADLINE_PAPERS, MINUTES_PAPERS, CorrespondenceRound, Decision, DecisionStatus


def minutes_awaiting_approval(meetings):
    """Issued minutes not yet out for approval (those sent round wait in their round)."""
    pending = Decision.objects.proposed().approving(MINUTES_PAPERS)
    return meetings.filter(status=MeetingStatus.MINUTES_ISSUED).exclude(
        pk__in=pending.values("approves_minutes_of")
    )


def headlines_awaiting_approval(meetings, today):
    """Meetings held whose headline report nobody has approved or sent for approval."""
    taken = Decision.objects.approving(HEADLINE_PAPERS).exclude(status=DecisionStatus.REJECTED)
    return (
        meetings.filter(date__lte=today)
        .exclude(status=MeetingStatus.CANCELLED)
        .exclude(pk__in=taken.values("approves_minutes_of"))
    )


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
        "minutes": _in_groups(minutes_awaiting_approval(Meeting.objects.all()), group_ids),
        "actions": _in_groups(
            Action.objects.filter(status=ActionStatus.RECOMMEND_CLOSED), group_ids
        ),
        "rounds": _in_groups(CorrespondenceRound.objects.open(), group_ids),
    }


def chair_queue_count(user) -> int:
    """Everything awaiting the chair, in one query (a UNION ALL of the four sections)."""
    first, *others = (qs.order_by().values_list("pk") for qs in queue_querysets(user).values())
    return first.union(*others, all=True).count()
