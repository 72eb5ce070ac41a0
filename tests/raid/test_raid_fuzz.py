"""Whatever is posted to raise or supersede a RAID item or to filter the log, the answer is
a page or a redirect, never a 500, and scores stay within 1-5."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.models import Role
from raid.models import RaidItem
from raid.services import raid_item_create
from tests.factories import make_group, make_user

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

FUZZ = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
value = st.one_of(
    st.text(max_size=20),
    st.integers(min_value=-3, max_value=30).map(str),
    st.sampled_from(["", "12/06/2024", "31/02/2024", "R1", "CR001"]),
)


def logged_in(client):
    if not hasattr(client, "fuzz_group"):
        client.fuzz_group = make_group("DAG")
        client.force_login(make_user(group=client.fuzz_group, role=Role.SECRETARIAT))
        client.fuzz_item = raid_item_create(title="Fuzzed", group=client.fuzz_group)
    return client


@FUZZ
@given(probability=value, impact=value, date_raised=value, refs=value, title=value)
def test_raising_anything_never_fails(client, probability, impact, date_raised, refs, title):
    client = logged_in(client)

    response = client.post(
        "/raid/new/",
        {
            "group": client.fuzz_group.pk,
            "raid_type": "risk",
            "title": title,
            "probability": probability,
            "impact": impact,
            "date_raised": date_raised,
            "change_request_refs": refs,
        },
    )

    assert response.status_code in (200, 302)
    assert (
        not RaidItem.objects.exclude(probability__isnull=True)
        .exclude(probability__in=range(1, 6))
        .exists()
    )


@FUZZ
@given(successor=value, reason=value)
def test_superseding_with_anything_never_fails(client, successor, reason):
    client = logged_in(client)
    item = client.fuzz_item

    response = client.post(
        f"{item.get_absolute_url()}supersede/", {"superseded_by": successor, "reason": reason}
    )

    assert response.status_code in (200, 302)


@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(
            [
                "q",
                "raid_type",
                "status",
                "area",
                "owner",
                "group",
                "band",
                "min_score",
                "probability",
                "impact",
                "sort",
                "page",
            ]
        ),
        value,
        max_size=6,
    )
)
def test_filtering_by_anything_never_fails(client, params):
    client = logged_in(client)
    assert client.get("/raid/", params).status_code == 200
