"""The paper's own identity, entered on the meeting's edit page: the title as printed,
its document reference and version ("MHHS-DEL160", "Version 1.0"), a blank
classification where the paper gives none, and the source file kept with the meeting
for its group to download. The minutes page and PDF print them."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import Role
from core.versions import record_version
from meetings.models import Meeting, MeetingStatus
from tests.factories import make_group, make_meeting, make_user
from tests.meetings.test_minutes_page_pdf_agree import page_text, pdf_text

pytestmark = pytest.mark.django_db

SLIDES = b"Design Advisory Group #4\n09 February 2022\nVersion 1.0\nMHHS-DEL160\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def dag():
    return make_group("DAG", name="Design Advisory Group", programme_label="MHHS")


@pytest.fixture
def dag4(dag):
    return make_meeting(dag, number=4, date=datetime.date(2022, 2, 9), status=MeetingStatus.HELD)


@pytest.fixture
def pmo(client, dag):
    client.force_login(make_user("pmo", group=dag, role=Role.SECRETARIAT))
    return client


def edit(client, meeting, **changes):
    data = {
        "title": "",
        "date": f"{meeting.date:%Y-%m-%d}",
        "venue": meeting.venue,
        "classification": "public",
        "status": MeetingStatus.HELD,
        "version": record_version(meeting),
        **changes,
    }
    return client.post(reverse("meetings:meeting_edit", args=[meeting.pk]), data)


def test_the_papers_title_reference_version_and_file_are_kept_and_printed(pmo, dag4):
    response = edit(
        pmo,
        dag4,
        paper_title="  Design Advisory Group   #4 ",
        paper_reference="MHHS-DEL160",
        paper_version="Version 1.0",
        classification="",
        source_file=SimpleUploadedFile("DAG004 slides.txt", SLIDES, "text/plain"),
    )

    assert response.status_code == 302
    dag4.refresh_from_db()
    assert dag4.paper_title == "Design Advisory Group #4"
    assert (dag4.paper_reference, dag4.paper_version) == ("MHHS-DEL160", "Version 1.0")
    assert dag4.classification == ""
    assert dag4.source_file_name.startswith("DAG004_slides")
    overview = pmo.get(dag4.get_absolute_url()).content.decode()
    assert "MHHS-DEL160 Version 1.0" in overview
    assert "None given" in overview  # the classification
    assert reverse("meetings:source_paper", args=[dag4.pk]) in overview
    page = page_text(pmo, dag4)
    assert page.startswith("Design Advisory Group #4 MHHS-DEL160 Version 1.0 Issue date")
    pdf = pdf_text(dag4)
    assert "Design Advisory Group #4" in pdf
    assert "MHHS-DEL160 Version 1.0" in pdf
    assert "Minutes and Actions" not in page  # the usual title gives way to the printed one


def test_the_usual_title_without_a_printed_one(pmo, dag4):
    page = page_text(pmo, dag4)
    assert page.startswith("MHHS Design Advisory Group (DAG) Minutes and Actions Issue date")


def test_the_groups_people_download_the_source_paper_others_do_not(client, dag, dag4):
    dag4.source_file = SimpleUploadedFile("DAG004.txt", SLIDES)
    dag4.save()
    url = reverse("meetings:source_paper", args=[dag4.pk])

    client.force_login(make_user("observer", group=dag, role=Role.OBSERVER))
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == SLIDES
    assert 'attachment; filename="DAG004' in response["Content-Disposition"]

    client.force_login(make_user("psg", group=make_group("PSG"), role=Role.SECRETARIAT))
    assert client.get(url).status_code == 404


def test_no_source_paper_is_a_404(pmo, dag4):
    assert pmo.get(reverse("meetings:source_paper", args=[dag4.pk])).status_code == 404


def test_a_file_of_another_kind_is_refused_at_its_field_with_nothing_saved(pmo, dag4):
    response = edit(
        pmo,
        dag4,
        paper_reference="MHHS-DEL160",
        source_file=SimpleUploadedFile("run.exe", b"MZ", "application/octet-stream"),
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="id_source_file_error"' in content
    assert "File extension “exe” is not allowed." in content
    assert 'value="MHHS-DEL160"' in content  # kept as typed
    dag4.refresh_from_db()
    assert dag4.paper_reference == ""
    assert not dag4.source_file


def test_a_member_may_not_edit_the_papers_identity(client, dag, dag4):
    client.force_login(make_user("member", group=dag, role=Role.MEMBER))

    assert edit(client, dag4, paper_reference="MHHS-DEL160").status_code == 403
    assert Meeting.objects.get(pk=dag4.pk).paper_reference == ""
