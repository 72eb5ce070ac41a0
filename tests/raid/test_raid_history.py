"""A RAID item's score history: every change of probability, impact, mitigation or status
with who made it and when, and the score's trend."""

import pytest

from raid.history import score_history, trend_chart
from raid.models import RaidStatus
from raid.services import (
    raid_item_close,
    raid_item_create,
    raid_item_reopen,
    raid_item_supersede,
    raid_item_update,
)
from tests.factories import make_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def risk():
    return raid_item_create(title="A risk", group=make_group("DAG"), probability=3, impact=3)


def test_each_tracked_change_is_an_entry_with_its_score_and_direction(risk):
    raid_item_update(item=risk, probability=4, reason="Re-scored at DAG037")
    raid_item_update(item=risk, title="Reworded only")  # not a tracked change
    raid_item_update(item=risk, mitigation="Interim releases")
    raid_item_update(item=risk, impact=2, probability=2)
    raid_item_close(item=risk, reason="Mitigated")
    raid_item_reopen(item=risk)

    entries = score_history(risk)

    assert [entry["changes"] for entry in entries] == [
        ["Raised"],
        ["Probability 3 → 4"],
        ["Mitigation updated"],
        ["Probability 4 → 2", "Impact 3 → 2"],
        ["Status Open → Closed"],
        ["Status Closed → Open"],
    ]
    assert [entry["score"] for entry in entries] == [9, 12, 12, 4, 4, 4]
    assert [entry["trend"] for entry in entries] == ["", "up", "", "down", "", ""]
    assert [entry["band"] for entry in entries][:2] == ["Medium", "High"]
    assert entries[1]["reason"] == "Re-scored at DAG037"
    assert entries[2]["mitigation"] == "Interim releases"
    assert entries[0]["who"] == "System"


def test_unscoring_and_superseding_are_recorded(risk):
    successor = raid_item_create(title="Replacement", group=risk.group)
    raid_item_update(item=risk, probability=None)
    raid_item_supersede(item=risk, successor=successor)

    entries = score_history(risk)

    assert entries[1]["changes"] == ["Probability 3 → —"] and entries[1]["score"] is None
    assert entries[2]["changes"] == ["Status Open → Superseded"]
    assert entries[2]["reason"] == f"Superseded by {successor.reference}"
    assert risk.__class__.objects.get(pk=risk.pk).status == RaidStatus.SUPERSEDED


def test_trend_chart_plots_the_scores_in_order(risk):
    assert trend_chart(score_history(risk)) is None  # one score is not a trend
    raid_item_update(item=risk, probability=5, impact=5)
    raid_item_update(item=risk, probability=1, impact=1)

    chart = trend_chart(score_history(risk))

    assert chart["summary"] == "9 → 25 → 1"
    ys = [point["y"] for point in chart["points"]]
    assert ys[1] < ys[0] < ys[2]  # higher scores are drawn higher up
    assert chart["polyline"].count(",") == 3


def test_history_is_read_in_a_fixed_number_of_queries(risk, django_assert_num_queries):
    """All versions (with who made them) come in one query, however many there are."""
    for probability in (1, 2, 3, 4, 5, 1, 2):
        raid_item_update(item=risk, probability=probability)
    with django_assert_num_queries(1):
        assert len(score_history(risk)) == 8


def test_saving_without_a_change_adds_no_version(risk):
    versions = risk.history.count()
    raid_item_update(item=risk, reason="Looked at, nothing to change")
    assert risk.history.count() == versions
