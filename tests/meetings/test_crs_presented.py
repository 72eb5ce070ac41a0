"""Change requests named at a meeting, entered on the agenda item's page: a CR listed
under an item with the status the meeting was told, a CR known only by its reference
(no title, no status), the CR's page listing every meeting that discussed it, and the
minutes page and PDF printing them under their item."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from changerequests.models import NOT_KNOWN, ChangeRequest, Stage
from changerequests.services import change_request_create, change_request_move
from core.models import Role
from meetings.models import AgendaItem, ChangeRequestPresented, MeetingStatus
from tests.core.test_two_editors import form_data
from tests.factories import make_group, make_meeting, make_user
from tests.meetings.test_minutes_page_pdf_agree import page_text, pdf_text

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def meeting(dag):
    return make_meeting(dag, number=29, date=TODAY - datetime.timedelta(days=7))


@pytest.fixture
def item(meeting):
    return AgendaItem.objects.create(
        meeting=meeting, number="4", title="Change Requests for decision", order=1
    )


@pytest.fixture
def cr032(dag):
    return change_request_create(
        title="Change to Interface IF-165 P0210 TUoS Reporting", group=dag, reference="CR032"
    )


def add_url(item):
    return reverse("meetings:agenda_item_cr_add", args=[item.meeting_id, item.pk])


def page_url(item):
    return reverse("meetings:agenda_item_edit", args=[item.meeting_id, item.pk])


def test_secretariat_lists_a_cr_with_the_status_presented(client, item, cr032, secretariat):
    client.force_login(secretariat)

    response = client.post(
        add_url(item), {"reference": "cr032", "status_presented": "Raised to Impact Assessment"}
    )

    assert response.status_code == 302 and response["Location"].endswith("#crs")
    line = ChangeRequestPresented.objects.get()
    assert (line.agenda_item, line.change_request, line.status_presented) == (
        item,
        cr032,
        "Raised to Impact Assessment",
    )
    page = client.get(page_url(item)).content.decode()
    assert "Raised to Impact Assessment" in page and cr032.get_absolute_url() in page


def test_a_cr_known_only_by_its_reference_is_recorded_without_title_or_status(
    client, dag, item, secretariat
):
    client.force_login(secretariat)

    client.post(add_url(item), {"reference": "CR-D040", "status_presented": "Amendments requested"})

    cr = ChangeRequest.objects.get(reference="CR-D040")
    assert (cr.title, cr.stage, cr.approval_status, cr.group) == ("", NOT_KNOWN, NOT_KNOWN, dag)
    detail = client.get(cr.get_absolute_url()).content.decode()
    assert "Not known" in detail and "Amendments requested" in detail
    # The register, its board and its export take it without a fuss.
    for url in ("/change-requests/", "/change-requests/board/"):
        assert client.get(url).status_code == 200
    # Its first move says where it is.
    change_request_move(
        change_request=cr, move="start_ia", date=TODAY, by=secretariat, reason="As the paper"
    )
    cr.refresh_from_db()
    assert (cr.stage, cr.approval_status) == (Stage.IMPACT_ASSESSMENT, "open")


def test_the_crs_page_shows_every_meeting_that_discussed_it(client, dag, cr032, secretariat):
    client.force_login(secretariat)
    statuses = {29: "Raised to Impact Assessment", 30: "Amendments requested"}
    for number, status in statuses.items():
        meeting = make_meeting(
            dag, number=number, date=TODAY - datetime.timedelta(days=40 - number)
        )
        item = AgendaItem.objects.create(meeting=meeting, number="4", title="CRs", order=1)
        client.post(add_url(item), {"reference": "CR032", "status_presented": status})

    page = client.get(cr032.get_absolute_url()).content.decode()

    section = page.split('id="meetings-heading"')[1].split("</section>")[0]
    assert "DAG029" in section and "DAG030" in section
    assert section.index("DAG030") < section.index("DAG029")  # newest first
    assert all(status in section for status in statuses.values())


def test_the_minutes_page_and_pdf_print_them_under_their_item(client, item, cr032, secretariat):
    client.force_login(secretariat)
    client.post(
        add_url(item), {"reference": "CR032", "status_presented": "Raised to Impact Assessment"}
    )
    client.post(add_url(item), {"reference": "CR013", "status_presented": ""})

    for text in (page_text(client, item.meeting), pdf_text(item.meeting)):
        part = text[text.index("4. Change Requests for decision") :]
        assert (
            "CR032 Change to Interface IF-165 P0210 TUoS Reporting: Raised to Impact Assessment"
            in part
        )
        assert "CR013" in part


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("XYZ1", "Give a CR reference such as CR032 or CR-D040."),
        ("", "This field is required."),
        ("CR032", "CR032 is already listed against this item"),
    ],
)
def test_bad_references_are_refused_at_the_field(
    client, item, cr032, secretariat, reference, message
):
    ChangeRequestPresented.objects.create(agenda_item=item, change_request=cr032)
    client.force_login(secretariat)
    crs = ChangeRequest.objects.count()

    response = client.post(add_url(item), {"reference": reference, "status_presented": "Typed"})

    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and 'id="cr_reference_error"' in page
    assert 'value="Typed"' in page  # what was typed is kept
    assert ChangeRequest.objects.count() == crs
    assert ChangeRequestPresented.objects.count() == 1


def test_a_cr_of_a_group_you_are_not_in_is_not_listed(client, item, secretariat):
    change_request_create(title="Theirs", group=make_group("TMAG"), reference="CR077")
    client.force_login(secretariat)

    response = client.post(add_url(item), {"reference": "CR077"})

    assert "CR077 is held by a group you are not in." in response.content.decode()
    assert not ChangeRequestPresented.objects.exists()


def test_removing_a_line_keeps_the_cr(client, item, cr032, secretariat):
    line = ChangeRequestPresented.objects.create(agenda_item=item, change_request=cr032)
    client.force_login(secretariat)

    response = client.post(
        reverse("meetings:agenda_item_cr_remove", args=[item.meeting_id, item.pk, line.pk])
    )

    assert response.status_code == 302
    assert not ChangeRequestPresented.objects.exists()
    assert ChangeRequest.objects.filter(pk=cr032.pk).exists()


def test_members_may_not_list_crs_and_nothing_is_written(client, dag, item, cr032, member):
    client.force_login(member)

    assert client.post(add_url(item), {"reference": "CR032"}).status_code == 403
    assert client.post(add_url(item), {"reference": "CR099"}).status_code == 403
    assert not ChangeRequestPresented.objects.exists()
    assert not ChangeRequest.objects.filter(reference="CR099").exists()


def test_another_groups_secretariat_gets_404(client, item):
    client.force_login(make_user("other", group=make_group("TMAG"), role=Role.SECRETARIAT))

    assert client.post(add_url(item), {"reference": "CR099"}).status_code == 404
    assert not ChangeRequest.objects.exists()


def test_issued_minutes_are_not_changed(client, item, cr032, secretariat):
    item.meeting.status = MeetingStatus.MINUTES_ISSUED
    item.meeting.save()
    client.force_login(secretariat)

    response = client.post(add_url(item), {"reference": "CR032"})

    assert response.status_code == 302
    assert not ChangeRequestPresented.objects.exists()


def test_a_cr_known_only_by_its_reference_may_keep_no_title(client, item, secretariat):
    client.force_login(secretariat)
    client.post(add_url(item), {"reference": "CR013"})
    cr = ChangeRequest.objects.get(reference="CR013")
    edit = f"{cr.get_absolute_url()}edit/"

    data = form_data(client.get(edit).content.decode(), "title")
    response = client.post(edit, data | {"key_detail": "Named at DAG029 only"})

    assert response.status_code == 302, response.content.decode()
    cr.refresh_from_db()
    assert (cr.title, cr.key_detail) == ("", "Named at DAG029 only")
