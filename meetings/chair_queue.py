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


# The menu's badge counts up to this many and then says "99+": a chair of forty groups has
# thousands of actions recommended closed, and counting them all cost every page they open
# 10-15 ms; the queue's page gives each section's count.
BADGE_CAP = 100


def chair_queue_count(user) -> int:
    """Everything awaiting the chair, up to BADGE_CAP, in one query (a UNION ALL of the four
    sections, which the database stops reading at the cap)."""
    first, *others = (qs.order_by().values_list("pk") for qs in queue_querysets(user).values())
    return first.union(*others, all=True)[:BADGE_CAP].count()


def chair_queue_badge(user) -> str:
    """The menu badge's text: the count, or "99+" at the cap."""
    count = chair_queue_count(user)
    return f"{BADGE_CAP - 1}+" if count >= BADGE_CAP else str(count)
