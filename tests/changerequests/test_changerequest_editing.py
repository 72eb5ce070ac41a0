"""Raising, editing, moving and linking CRs through the web, and who may do each."""

import datetime

import pytest
from django.utils import timezone

from changerequests.models import ApprovalStatus, ChangeRequest, ChangeRequestTransition, Stage
from core.models import Role
from core.versions import record_version
from core.workdays import add_working_days, working_days_between
from tests.changerequests.test_views_changerequests import LIST_URL, make_cr
from tests.factories import make_action, make_group, make_meeting, make_user

pytestmark = pytest.mark.django_db


# Raising


def raise_data(group, **overrides):
    data = {
        "group": group.pk,
        "title": "Swagger Open API upgrade",
        "change_type": "full_ia",
        "date_raised": "04/06/2024",
        "ia_working_days": "10",
    }
    return data | overrides


def test_secretariat_raises_a_cr_with_the_next_reference(client, dag, secretariat):
    make_cr(dag, reference="CR050")
    client.force_login(secretariat)

    response = client.post(f"{LIST_URL}new/", raise_data(dag))

    cr = ChangeRequest.objects.get(reference="CR051")
    assert response.status_code == 302 and response["Location"] == cr.get_absolute_url()
    assert (cr.stage, cr.approval_status, cr.group) == (Stage.RAISED, ApprovalStatus.OPEN, dag)
    assert cr.latest_action == "Raised (04/06/2024)"
    move = cr.transitions.get()
    assert (move.to_stage, move.by, move.date) == (
        Stage.RAISED,
        secretariat,
        datetime.date(2024, 6, 4),
    )


def test_a_member_may_raise_a_cr_for_their_group(client, dag, member):
    client.force_login(member)
    form = client.get(f"{LIST_URL}new/").content.decode()
    # The raiser is the member's own Person unless they choose someone else.
    assert f'<option value="{member.person.pk}" selected>Member</option>' in form
    data = raise_data(dag, raiser_person=member.person.pk)
    assert client.post(f"{LIST_URL}new/", data).status_code == 302
    assert ChangeRequest.objects.get().raiser_person == member.person


def test_observer_may_not_raise(client, dag):
    client.force_login(make_user(group=dag, role=Role.OBSERVER))
    assert client.get(f"{LIST_URL}new/").status_code == 403
    assert client.post(f"{LIST_URL}new/", raise_data(dag)).status_code == 403
    assert not ChangeRequest.objects.exists()


def test_raising_for_another_group_or_with_bad_dates_changes_nothing(client, dag, member):
    tmag = make_group("TMAG")
    client.force_login(member)
    future = (timezone.localdate() + datetime.timedelta(days=3)).strftime("%d/%m/%Y")

    other_group = client.post(f"{LIST_URL}new/", raise_data(tmag))
    bad_date = client.post(f"{LIST_URL}new/", raise_data(dag, date_raised="31/02/2024"))
    future_date = client.post(f"{LIST_URL}new/", raise_data(dag, date_raised=future))

    assert "Select a valid choice" in other_group.content.decode()
    assert "Enter a valid date" in bad_date.content.decode()
    assert "cannot be in the future" in future_date.content.decode()
    assert 'value="31/02/2024"' in bad_date.content.decode()  # what was typed is kept
    assert not ChangeRequest.objects.exists()


# Editing


def test_secretariat_edits_details_and_dates_the_new_status(client, dag, secretariat):
    cr = make_cr(dag, stage=Stage.APPROVAL_DECISION, decision_body="PSG")
    client.force_login(secretariat)
    data = {
        "title": cr.title,
        "raiser_person": cr.raiser_person_id,
        "raiser_organisation": cr.raiser_organisation_id,
        "raiser_note": cr.raiser_note,
        "change_type": "full_ia",
        "decision_body": "PSG",
        "latest_action": "Awaiting PSG decision on implementation",
        "implementation_milestone": "post-M10",
        "change_owner": cr.change_owner_id,
        "ia_working_days": "10",
        # Not on the form: a stage cannot be typed in.
        "stage": "complete",
        "version": record_version(cr),
    }

    response = client.post(f"{cr.get_absolute_url()}edit/", data)

    assert response.status_code == 302
    cr.refresh_from_db()
    assert cr.latest_action == "Awaiting PSG decision on implementation"
    assert cr.implementation_milestone == "post-M10"
    assert cr.status_updated == timezone.localdate()
    assert cr.stage == Stage.APPROVAL_DECISION


def test_edit_errors_keep_the_input(client, dag, secretariat):
    cr = make_cr(dag, date_raised=datetime.date(2024, 6, 4))
    client.force_login(secretariat)

    response = client.post(
        f"{cr.get_absolute_url()}edit/",
        {
            "title": "",
            "change_type": "full_ia",
            "ia_working_days": "99",
            "ia_deadline": "1/1/2020",
            "version": record_version(cr),
        },
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "This field is required" in content
    assert "less than or equal to 60" in content
    assert 'value="1/1/2020"' in content or "before the CR was raised" in content
    cr.refresh_from_db()
    assert cr.title == "Change to Interface IF-165"


def test_edit_permissions(client, dag, member):
    ours, theirs = make_cr(dag), make_cr(make_group("TMAG"))
    client.force_login(member)
    assert client.get(f"{ours.get_absolute_url()}edit/").status_code == 403
    assert client.get(f"{theirs.get_absolute_url()}edit/").status_code == 404


def edit_data(cr, **overrides):
    data = {
        "title": cr.title,
        "change_type": cr.change_type,
        "decision_body": cr.decision_body,
        "latest_action": cr.latest_action,
        "ia_working_days": str(cr.ia_working_days),
        "date_raised": f"{cr.date_raised:%d/%m/%Y}" if cr.date_raised else "",
        "ia_deadline": f"{cr.ia_deadline:%d/%m/%Y}" if cr.ia_deadline else "",
        "version": record_version(cr),
    }
    return data | overrides


def test_a_date_raised_after_the_first_move_is_refused(client, dag, secretariat):
    cr = make_cr(dag, date_raised=datetime.date(2024, 6, 3))
    client.force_login(secretariat)
    assert move(client, cr, "start_ia", date="04/06/2024").status_code == 302
    cr.refresh_from_db()

    response = client.post(f"{cr.get_absolute_url()}edit/", edit_data(cr, date_raised="05/06/2024"))

    content = response.content.decode()
    assert response.status_code == 200
    assert "first moved on 04/06/2024; it cannot have been raised after that" in content
    assert 'value="05/06/2024"' in content  # what was typed is kept
    assert ChangeRequest.objects.get(pk=cr.pk).date_raised == datetime.date(2024, 6, 3)


def test_new_working_days_move_a_running_impact_assessments_deadline(client, dag, secretariat):
    cr = make_cr(dag, date_raised=datetime.date(2024, 5, 1))
    client.force_login(secretariat)
    move(client, cr, "start_ia", date="14/05/2024", ia_working_days="10")
    cr.refresh_from_db()
    assert cr.ia_deadline == datetime.date(2024, 5, 29)  # the Spring bank holiday skipped

    client.post(f"{cr.get_absolute_url()}edit/", edit_data(cr, ia_working_days="15"))

    cr.refresh_from_db()
    assert (cr.ia_working_days, cr.ia_deadline) == (15, datetime.date(2024, 6, 5))


# Moving


def move(client, cr, name, **fields):
    data = {
        "move": name,
        "from_stage": cr.stage,
        "date": timezone.localdate().strftime("%d/%m/%Y"),
        "reason": "Agreed at DAG",
    }
    return client.post(f"{cr.get_absolute_url()}move/", data | fields)


def test_secretariat_starts_an_impact_assessment(client, dag, secretariat):
    cr = make_cr(dag, decision_body="DAG")
    client.force_login(secretariat)
    today = timezone.localdate()

    response = move(client, cr, "start_ia", ia_working_days="10")

    assert response.status_code == 302
    cr.refresh_from_db()
    deadline = add_working_days(today, 10)
    assert (cr.stage, cr.ia_deadline) == (Stage.IMPACT_ASSESSMENT, deadline)
    assert cr.latest_action.startswith(f"Issued to Impact Assessment ({today:%d/%m/%Y})")
    transition = cr.transitions.get()
    assert (transition.from_stage, transition.by, transition.reason) == (
        Stage.RAISED,
        secretariat,
        "Agreed at DAG",
    )
    page = client.get(cr.get_absolute_url()).content.decode()
    assert f"{deadline:%d/%m/%Y}" in page
    assert f"{working_days_between(today, deadline)} working days left" in page


def test_an_illegal_move_is_refused_and_changes_nothing(client, dag, secretariat):
    cr = make_cr(dag)
    client.force_login(secretariat)

    response = move(client, cr, "complete")

    assert response.status_code == 200
    assert "is not an allowed move from stage Raised" in response.content.decode()
    cr.refresh_from_db()
    assert (cr.stage, cr.transitions.count()) == (Stage.RAISED, 0)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"date": "32/13/2024"}, "Enter a valid date"),
        ({"date": "01/01/2999"}, "cannot be recorded for a future date"),
        ({"reason": ""}, "This field is required"),
        ({"move": "teleport"}, "Select a valid choice"),
        ({"from_stage": "impact_assessment"}, "since the page was opened"),
        ({"ia_working_days": "0"}, "greater than or equal to 1"),
    ],
)
def test_bad_moves_get_clear_errors(client, dag, secretariat, fields, message):
    cr = make_cr(dag, date_raised=datetime.date(2024, 6, 4))
    client.force_login(secretariat)

    response = move(client, cr, "start_ia", **fields)

    assert response.status_code == 200
    assert message in response.content.decode()
    cr.refresh_from_db()
    assert (cr.stage, cr.transitions.count()) == (Stage.RAISED, 0)


def test_a_move_before_the_cr_was_raised_is_refused(client, dag, secretariat):
    cr = make_cr(dag, date_raised=datetime.date(2024, 6, 4))
    client.force_login(secretariat)

    response = move(client, cr, "start_ia", date="03/06/2024")

    assert "was raised on 04/06/2024" in response.content.decode()
    assert ChangeRequest.objects.get(pk=cr.pk).stage == Stage.RAISED


def test_move_permissions(client, dag, member):
    ours, theirs = make_cr(dag), make_cr(make_group("TMAG"))
    client.force_login(member)

    assert move(client, ours, "start_ia").status_code == 403
    assert move(client, theirs, "start_ia").status_code == 404
    assert "Move through change control" not in client.get(ours.get_absolute_url()).content.decode()
    assert ChangeRequestTransition.objects.count() == 0


def test_the_move_form_offers_the_allowed_moves_only(client, dag, secretariat):
    raised = make_cr(dag)
    deciding = make_cr(dag, stage=Stage.IMPLEMENTATION)
    done = make_cr(dag, stage=Stage.COMPLETE)
    client.force_login(secretariat)

    raised_page = client.get(f"{raised.get_absolute_url()}move/").content.decode()
    deciding_page = client.get(f"{deciding.get_absolute_url()}move/").content.decode()
    done_page = client.get(f"{done.get_absolute_url()}move/").content.decode()

    assert 'value="start_ia"' in raised_page and 'value="approve"' not in raised_page
    assert "Impact assessment working days" in raised_page
    assert 'value="complete"' in deciding_page and 'value="start_ia"' not in deciding_page
    # No impact assessment can start from Implementation, so its days are not asked for.
    assert "Impact assessment working days" not in deciding_page
    assert "Complete is a final stage: there are no more moves." in done_page
    assert move(client, done, "withdraw").status_code == 200
    assert ChangeRequest.objects.get(pk=done.pk).stage == Stage.COMPLETE


def test_a_missing_move_is_reported_next_to_the_choices(client, dag, secretariat):
    cr = make_cr(dag)
    client.force_login(secretariat)

    content = move(client, cr, "").content.decode()

    # The summary links to the radio buttons' group, which has that id once.
    assert '<a href="#id_move">Move to: This field is required.</a>' in content
    assert content.count(' id="id_move"') == 1


# Linking


def test_secretariat_links_and_unlinks_an_action(client, dag, secretariat):
    cr = make_cr(dag)
    action = make_action(make_meeting(dag, number=29))
    client.force_login(secretariat)

    response = client.post(f"{cr.get_absolute_url()}link/", {"reference": action.reference.lower()})

    assert response.status_code == 302
    assert list(action.change_requests.all()) == [cr]
    page = client.get(cr.get_absolute_url()).content.decode()
    assert action.get_absolute_url() in page and "Linked" in page

    client.post(f"{cr.get_absolute_url()}unlink/", {"reference": action.reference})
    assert not action.change_requests.exists()


def test_unlinking_a_record_that_is_not_linked_is_refused(client, dag, secretariat):
    cr = make_cr(dag)
    action = make_action(make_meeting(dag, number=29), text="Names CR001 only")
    client.force_login(secretariat)

    response = client.post(f"{cr.get_absolute_url()}unlink/", {"reference": action.reference})

    assert response.status_code == 200
    assert f"{action.reference} is not linked to {cr.reference}." in response.content.decode()


def test_linking_unknown_or_unseen_records_is_refused(client, dag, secretariat):
    cr = make_cr(dag)
    theirs = make_action(make_meeting(make_group("TMAG")))
    client.force_login(secretariat)

    for reference in ("DAG99-99", theirs.reference):
        response = client.post(f"{cr.get_absolute_url()}link/", {"reference": reference})
        assert response.status_code == 200
        assert f"There is no action, decision or RAID item {reference}" in response.content.decode()
    assert not theirs.change_requests.exists()


def test_link_permissions(client, dag, member):
    ours, theirs = make_cr(dag), make_cr(make_group("TMAG"))
    action = make_action(make_meeting(dag))
    client.force_login(member)

    assert (
        client.post(f"{ours.get_absolute_url()}link/", {"reference": action.reference}).status_code
        == 403
    )
    assert (
        client.post(
            f"{theirs.get_absolute_url()}link/", {"reference": action.reference}
        ).status_code
        == 404
    )
    assert client.get(f"{ours.get_absolute_url()}link/").status_code == 405
    assert not action.change_requests.exists()


# Who may do what


ROLES = ["secretariat", "chair", "member", "observer", "outsider"]
# Per page: the answer for each role above (the outsider has a role in another group only).
CR_PERMISSIONS = [
    ("get", "", [200, 200, 200, 200, 200]),
    ("get", "board/", [200, 200, 200, 200, 200]),
    ("get", "export.csv", [200, 200, 200, 200, 200]),
    ("get", "new/", [200, 200, 200, 403, 200]),  # the outsider raises for their own group
    ("get", "{cr}", [200, 200, 200, 200, 404]),
    ("get", "{cr}edit/", [200, 403, 403, 403, 404]),
    ("get", "{cr}move/", [200, 403, 403, 403, 404]),
    ("post", "{cr}move/", [200, 403, 403, 403, 404]),
    ("post", "{cr}link/", [200, 403, 403, 403, 404]),
    ("post", "{cr}unlink/", [200, 403, 403, 403, 404]),
]


@pytest.mark.parametrize(("method", "path", "answers"), CR_PERMISSIONS)
def test_role_matrix(client, dag, method, path, answers):
    """The secretariat runs change control; the chair and members may also raise CRs;
    observers read; someone of another group does not see the group's CRs at all."""
    cr = make_cr(dag)
    users = [make_user(group=dag, role=role) for role in ROLES[:4]]
    users.append(make_user(group=make_group("TMAG"), role=Role.MEMBER))
    url = LIST_URL + path.format(cr=cr.get_absolute_url().removeprefix(LIST_URL))

    for user, role, expected in zip(users, ROLES, answers, strict=True):
        client.force_login(user)
        # Empty posts: a permitted user gets the form back with its errors.
        assert getattr(client, method)(url).status_code == expected, role
    cr.refresh_from_db()
    assert (cr.stage, cr.transitions.count()) == (Stage.RAISED, 0)
