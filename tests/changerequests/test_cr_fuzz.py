"""Whatever is posted to raise, edit or move a CR, or asked of the register, the answer is a
page or a redirect, never a 500, and the CRs stay consistent."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from changerequests.models import ALL_MOVES, STAGE_APPROVAL_STATUS, ChangeRequest, Stage
from changerequests.services import change_request_create
from core.models import Role
from core.versions import record_version
from tests.factories import make_group, make_user

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

text = st.one_of(st.text(max_size=30), st.sampled_from(["", "12/06/2024", "2024-06-12", "0"]))


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    move=st.one_of(st.sampled_from([move.name for move in ALL_MOVES]), st.text(max_size=12)),
    from_stage=st.one_of(st.sampled_from(Stage.values), text),
    date=text,
    reason=text,
    days=text,
)
def test_posting_anything_to_a_move_never_fails(client, move, from_stage, date, reason, days):
    dag = make_group("DAG")
    if not hasattr(client, "fuzz_cr"):
        client.force_login(make_user(group=dag, role=Role.SECRETARIAT))
        client.fuzz_cr = change_request_create(title="Fuzzed", group=dag)
    cr = client.fuzz_cr

    response = client.post(
        f"{cr.get_absolute_url()}move/",
        {
            "move": move,
            "from_stage": from_stage,
            "date": date,
            "reason": reason,
            "ia_working_days": days,
            "latest_action": reason,
        },
    )

    assert response.status_code in (200, 302)
    cr = ChangeRequest.objects.get(pk=cr.pk)
    assert cr.approval_status == STAGE_APPROVAL_STATUS[cr.stage]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    title=text,
    change_type=st.one_of(st.sampled_from(["full_ia", "fast_track"]), text),
    decision_body=st.one_of(st.sampled_from(["DAG", "ofgem", ""]), text),
    date_raised=text,
    days=text,
    deadline=text,
    owner=text,
)
def test_raising_or_editing_anything_never_fails(
    client, title, change_type, decision_body, date_raised, days, deadline, owner
):
    dag = make_group("DAG")
    if not hasattr(client, "fuzz_cr"):
        client.force_login(make_user(group=dag, role=Role.SECRETARIAT))
        client.fuzz_cr = change_request_create(title="Fuzzed", group=dag)
    data = {
        "group": dag.pk,
        "title": title,
        "change_type": change_type,
        "decision_body": decision_body,
        "date_raised": date_raised,
        "ia_working_days": days,
        "ia_deadline": deadline,
        "change_owner": owner,
    }

    raised = client.post("/change-requests/new/", data)
    edited = client.post(
        f"{client.fuzz_cr.get_absolute_url()}edit/",
        data | {"version": record_version(client.fuzz_cr)},
    )

    assert raised.status_code in (200, 302) and edited.status_code in (200, 302)
    for cr in ChangeRequest.objects.all():
        cr.full_clean()  # whatever was saved is valid


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    params=st.dictionaries(
        st.sampled_from(["q", "status", "stage", "decision_body", "raiser_organisation", "page"]),
        text,
        max_size=4,
    ),
    path=st.sampled_from(["", "board/", "export.csv", "export.xlsx"]),
)
def test_filtering_by_anything_never_fails(client, params, path):
    if not hasattr(client, "fuzz_user"):
        client.fuzz_user = make_user(group=make_group("DAG"), role=Role.MEMBER)
        client.force_login(client.fuzz_user)
    assert client.get(f"/change-requests/{path}", params).status_code == 200
