"""Drafts of the minutes: what a person types into an item's editor is kept as they type
(MinutesDraft), and comes back when they open the minutes page again after a crash or a
closed tab. A draft never touches the saved minutes; saving the minutes discards it."""

from .models import AgendaItem, MinutesDraft


def draft_keep(*, item, user, text, based_on_version) -> MinutesDraft | None:
    """Keep `user`'s draft of the item's minutes, typed from `based_on_version`.

    Text equal to the saved minutes is nothing unsaved, so any draft goes instead: this
    also tidies up after an autosave that lands just after the real save.
    """
    saved = AgendaItem.objects.values("minutes", "minutes_version").get(pk=item.pk)
    if text == saved["minutes"]:
        draft_discard(item=item, user=user)
        return None
    draft, _ = MinutesDraft.objects.update_or_create(
        item=item, user=user, defaults={"text": text, "based_on_version": based_on_version}
    )
    return draft


def draft_discard(*, item, user) -> None:
    MinutesDraft.objects.filter(item=item, user=user).delete()


def restore_drafts(items, user) -> None:
    """Give each item with an unsaved draft of `user` its `draft`, and `draft_is_stale`
    when someone saved the minutes since the draft was begun, so the page can offer the
    draft (and both texts to compare) instead of the saved text."""
    drafts = {
        draft.item_id: draft
        for draft in MinutesDraft.objects.filter(item__in=[item.pk for item in items], user=user)
    }
    for item in items:
        draft = drafts.get(item.pk)
        item.draft = draft if draft and draft.text != item.minutes else None
        item.draft_is_stale = bool(item.draft) and draft.based_on_version != item.minutes_version
