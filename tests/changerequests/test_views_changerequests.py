"""The CR register (/change-requests/), its board and exports, and one CR's page.
(Raising, editing, moving and linking CRs: test_changerequest_editing.py.)"""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from changerequests.models import ApprovalStatus, ChangeRequest, ChangeRequestTransition, Stage
from changerequests.services import change_request_create
from changerequests.views import BOARD_CARDS
from core.models import Organisation
from core.workdays import add_working_days, working_days_between
from decisions.services import decision_create
from meetings.models import AgendaItem
from raid.models import RaidReview
from raid.services import raid_item_create
from tests.factories import make_action, make_group, make_meeting, make_person, make_user

pytestmark = pytest.mark.django_db

LIST_URL = "/change-requests/"


def make_cr(group, **fields):
    fields.setdefault("title", "Change to Interface IF-165")
    return change_request_create(
        group=group,
        raiser_person=make_person("Sean Cooper"),
        raiser_organisation=Organisation.objects.get_or_create(name="MHHS Programme")[0],
        raiser_note="on behalf of SCS",
        change_owner=make_person("Immy Syms"),
        **fields,
    )


# The register, board and exports


def test_list_shows_the_status_table_of_my_groups(client, dag, member):
    cr = make_cr(
        dag,
        stage=Stage.IMPACT_ASSESSMENT,
        implementation_milestone="IR8.1 June-24",
        latest_action="Issued for IA",
    )
    hidden = make_cr(make_group("TMAG"), title="Theirs")
    programme_wide = make_cr(None, title="Programme-wide")
    client.force_login(member)

    content = client.get(LIST_URL).content.decode()

    assert cr.reference in content
    assert "Sean Cooper, MHHS Programme on behalf of SCS" in content
    assert "Impact Assessment" in content and "IR8.1 June-24" in content
    assert "Immy Syms" in content and "Issued for IA" in content
    assert hidden.reference not in content
    # No group means programme-wide: anyone with a role somewhere reads it.
    assert programme_wide.reference in content


def test_superuser_sees_programme_wide_crs(client):
    cr = make_cr(None, title="Programme-wide")
    client.force_login(make_user(superuser=True))

    assert cr.reference in client.get(LIST_URL).content.decode()
    assert client.get(cr.get_absolute_url()).status_code == 200


def test_list_filters_by_approval_status(client, dag, member):
    open_cr = make_cr(dag)
    withdrawn = make_cr(dag, approval_status=ApprovalStatus.WITHDRAWN, stage=Stage.WITHDRAWN)
    client.force_login(member)

    content = client.get(LIST_URL, {"status": "withdrawn"}).content.decode()

    assert withdrawn.reference in content and open_cr.reference not in content


def test_list_filters_by_stage_body_organisation_and_text(client, dag, member):
    elexon = Organisation.objects.create(name="Elexon")
    ia = make_cr(dag, stage=Stage.IMPACT_ASSESSMENT, title="Supplier Registration of ABMU")
    psg = make_cr(dag, stage=Stage.APPROVAL_DECISION, decision_body="PSG", title="SSD tool")
    by_elexon = make_cr(dag, title="MPAN mapping")
    by_elexon.raiser_organisation = elexon
    by_elexon.save()
    client.force_login(member)

    def shown(**params):
        content = client.get(LIST_URL, params).content.decode()
        return {cr.reference for cr in (ia, psg, by_elexon) if f">{cr.reference}<" in content}

    assert shown(stage="impact_assessment") == {ia.reference}
    assert shown(decision_body="PSG") == {psg.reference}
    assert shown(raiser_organisation=elexon.pk) == {by_elexon.reference}
    assert shown(q="abmu registration") == {ia.reference}
    assert shown(q=psg.reference) == {psg.reference}


def test_bad_filter_values_are_reported_not_a_500(client, dag, member):
    make_cr(dag)
    client.force_login(member)

    response = client.get(LIST_URL, {"stage": "limbo", "raiser_organisation": "x"})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_list_shows_the_working_days_left_of_an_impact_assessment(client, dag, member):
    today = timezone.localdate()
    deadline = add_working_days(today, 4)
    make_cr(dag, stage=Stage.IMPACT_ASSESSMENT, ia_deadline=deadline)
    make_cr(dag, stage=Stage.IMPACT_ASSESSMENT, ia_deadline=datetime.date(2024, 5, 29))
    client.force_login(member)

    content = client.get(LIST_URL).content.decode()

    assert f"IA responses due <strong>{deadline:%d/%m/%Y}</strong>" in content
    assert f"{working_days_between(today, deadline)} working days left" in content
    assert ">Overdue</span> by" in content


def test_organisation_filter_offers_only_raisers_of_crs_i_can_see(client, dag, member):
    make_cr(dag)
    theirs = make_cr(make_group("TMAG"))
    theirs.raiser_organisation = Organisation.objects.create(name="Secret Org")
    theirs.save()
    client.force_login(member)

    content = client.get(LIST_URL).content.decode()

    assert "MHHS Programme</option>" in content and "Secret Org" not in content


def test_list_htmx_request_gets_only_the_results(client, dag, member):
    cr = make_cr(dag)
    client.force_login(member)

    content = client.get(LIST_URL, HTTP_HX_REQUEST="true").content.decode()

    assert content.lstrip().startswith('<div id="results">')
    assert cr.reference in content and "<html" not in content


# Queries per page, the same however many CRs: session, user, roles, the count and the page
# (the register); one query per record type for the references named in the rows.
LIST_QUERIES = 12
BOARD_QUERIES = 6
EXPORT_QUERIES = 4


def test_list_runs_a_fixed_number_of_queries(client, dag, member, django_assert_num_queries):
    """Raiser, raiser's organisation, change owner and owner's organisation come with each
    CR (no N+1 on the raiser and owner columns), and references in the rows are linked in
    one query per record type, not per row."""
    client.force_login(member)
    for size in (3, 30):
        while ChangeRequest.objects.count() < size:
            make_cr(dag, latest_action="See DAG29-01", stage=Stage.IMPACT_ASSESSMENT)
        with django_assert_num_queries(LIST_QUERIES):
            response = client.get(LIST_URL)
        assert f"of {size} change requests" in response.content.decode()


def test_board_and_exports_run_a_fixed_number_of_queries(
    client, dag, member, django_assert_num_queries
):
    """The board reads its cards (a column's first BOARD_CARDS) and the downloads every
    CR, each with its people in one query: no N+1 on the raiser and owner of each card
    or row, nor a query per column."""
    client.force_login(member)
    for size in (3, 30):
        while ChangeRequest.objects.count() < size:
            make_cr(dag, stage=Stage.IMPACT_ASSESSMENT, ia_deadline=timezone.localdate())
        with django_assert_num_queries(BOARD_QUERIES):
            board = client.get(f"{LIST_URL}board/")
        assert board.content.decode().count('class="board__card"') == min(size, BOARD_CARDS)
        for url in (f"{LIST_URL}export.csv", f"{LIST_URL}export.xlsx"):
            with django_assert_num_queries(EXPORT_QUERIES):
                # getvalue() reads the streamed CSV, whose rows are read as it is sent.
                assert client.get(url).getvalue()


def test_board_column_shows_its_first_cards_and_links_to_the_rest(client, dag, member, monkeypatch):
    """A column of thousands of CRs shows its count and its first cards in reference
    order; the rest are one link away, in the status table of that stage and filter."""
    monkeypatch.setattr("changerequests.views.BOARD_CARDS", 3)
    raised = [make_cr(dag, stage=Stage.RAISED, title=f"Raised {n}") for n in range(5)]
    make_cr(dag, stage=Stage.COMPLETE, title="Done")
    client.force_login(member)

    content = client.get(f"{LIST_URL}board/", {"q": "Raised", "page": "2"}).content.decode()

    column = content.split('id="stage-raised"')[1].split("</section>")[0]
    assert 'Raised <span class="board__count">(5)</span>' in content
    assert column.count('class="board__card"') == 3
    shown = [cr.reference for cr in raised[:3]]
    assert all(reference in column for reference in shown)
    assert raised[3].reference not in column
    assert "2 more in the status table" in column
    assert f'href="{LIST_URL}?q=Raised&amp;stage=raised"' in column
    # The filter leaves the complete column empty, and says so.
    complete = content.split('id="stage-complete"')[1].split("</section>")[0]
    assert "None." in complete and "more in the status table" not in complete


def test_board_groups_crs_by_stage_with_ia_days_left(client, dag, member):
    today = timezone.localdate()
    deadline = add_working_days(today, 4)
    ia = make_cr(dag, stage=Stage.IMPACT_ASSESSMENT, ia_deadline=deadline, title="In IA")
    done = make_cr(dag, stage=Stage.COMPLETE, title="Done")
    client.force_login(member)

    content = client.get(f"{LIST_URL}board/").content.decode()

    ia_column = content.split('id="stage-impact_assessment"')[1].split("</section>")[0]
    complete_column = content.split('id="stage-complete"')[1].split("</section>")[0]
    assert ia.reference in ia_column and done.reference in complete_column
    assert 'Impact Assessment <span class="board__count">(1)</span>' in content
    assert f"{working_days_between(today, deadline)} working days left" in ia_column


def test_exports_follow_the_filter_and_keep_formulas_as_text(client, dag, member):
    cr = make_cr(dag, stage=Stage.APPROVAL_DECISION, latest_action="=HYPERLINK(evil)")
    other = make_cr(dag, title="Another")
    client.force_login(member)

    csv_response = client.get(f"{LIST_URL}export.csv", {"stage": "approval_decision"})
    xlsx_response = client.get(f"{LIST_URL}export.xlsx", {"stage": "approval_decision"})

    assert csv_response["Content-Disposition"].startswith("attachment;")
    text = csv_response.getvalue().decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Ref,Title,Key detail,Change raiser")
    assert cr.reference in text and other.reference not in text
    assert "'=HYPERLINK(evil)" in text
    sheet = load_workbook(io.BytesIO(xlsx_response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Ref", "Title", "Key detail")
    assert [row[0] for row in rows[1:]] == [cr.reference]
    assert rows[1][5] == "=HYPERLINK(evil)" and sheet["F2"].data_type == "s"
    assert sheet["F2"].quotePrefix  # shown as text by Excel, as if typed with a quote


# One CR's page


def test_detail_shows_linked_records_and_history(client, dag, member):
    cr = make_cr(dag, reference="CR032")
    meeting = make_meeting(dag, number=29)
    action = make_action(meeting, change_requests=[cr])
    decision = decision_create(group=dag, wording="CR032 to IA", change_requests=[cr])
    risk = raid_item_create(title="IA late", group=dag, change_requests=[cr])
    ChangeRequestTransition.objects.create(
        change_request=cr,
        from_stage=Stage.RAISED,
        to_stage=Stage.IMPACT_ASSESSMENT,
        date=datetime.date(2023, 10, 12),
        reason="Approved for IA at DAG029",
    )
    client.force_login(member)

    response = client.get("/change-requests/CR032/")

    content = response.content.decode()
    assert response.status_code == 200
    for record in (action, decision, risk):
        assert record.get_absolute_url() in content
    assert "Approved for IA at DAG029" in content and "12/10/2023" in content
    assert "<strong>Created</strong>" in content


def test_detail_lists_records_and_minutes_that_name_the_cr(client, dag, member):
    cr = make_cr(dag, reference="CR032", key_detail="Raised after DAG29-01")
    meeting = make_meeting(dag, number=29)
    named = make_action(meeting, text="NGESO to amend CR032 and resubmit")
    near_miss = make_action(meeting, text="Look at CR0321 instead")
    risk = raid_item_create(title="Risk", group=dag, mitigation="Handled by CR032's IA")
    AgendaItem.objects.create(
        meeting=meeting,
        number="4",
        order=4,
        title="CR032 Impact Assessment",
        minutes="Opening remarks.\n\nThe Chair agreed CR032 should be issued for IA.",
    )
    client.force_login(member)

    content = client.get(cr.get_absolute_url()).content.decode()

    assert named.get_absolute_url() in content and near_miss.get_absolute_url() not in content
    assert risk.get_absolute_url() in content and "Names it" in content
    assert "The Chair agreed" in content and "Opening remarks" not in content
    # References in the CR's own text link themselves.
    assert named.reference == "DAG29-01"
    assert f'<a href="{named.get_absolute_url()}">DAG29-01</a>' in content


def test_detail_shows_ia_deadline_and_working_days_left(client, dag, member):
    today = timezone.localdate()
    cr = make_cr(dag, stage=Stage.IMPACT_ASSESSMENT, ia_deadline=add_working_days(today, 3))
    client.force_login(member)

    content = client.get(cr.get_absolute_url()).content.decode()

    assert f"IA responses due <strong>{cr.ia_deadline:%d/%m/%Y}</strong>" in content
    assert "3 working days left" in content


def test_detail_of_another_group_is_404(client, member):
    cr = make_cr(make_group("TMAG"))
    client.force_login(member)

    assert client.get(cr.get_absolute_url()).status_code == 404


def test_detail_lists_raid_items_whose_review_names_the_cr(client, dag, member):
    cr = make_cr(dag, reference="CR045")
    risk = raid_item_create(title="SSD tool late", group=dag)
    RaidReview.objects.create(
        raid_item=risk, meeting=make_meeting(dag), conclusion="Keep open until CR045 decided"
    )
    client.force_login(member)

    content = client.get(cr.get_absolute_url()).content.decode()

    assert risk.get_absolute_url() in content and "Names it" in content


# With the meetings that discussed it, and the ids of the actions, decisions and RAID items
# linked to it or naming it (one UNION each).
DETAIL_QUERIES = 21


def test_detail_runs_a_fixed_number_of_queries(client, dag, member, django_assert_num_queries):
    """The moves come with who made them, actions with their owners, decisions with their
    meeting, RAID items with their owner, and the minutes in one query: no N+1 on any of
    the CR page's tables."""
    cr = make_cr(dag, reference="CR032")
    client.force_login(member)
    for size in (2, 8):
        while cr.transitions.count() < size:
            meeting = make_meeting(dag)
            ChangeRequestTransition.objects.create(
                change_request=cr,
                to_stage=Stage.RAISED,
                date=datetime.date(2024, 6, 4),
                by=make_user(),
                reason="See DAG29-01",
            )
            make_action(meeting, change_requests=[cr], owners=[make_person()])
            make_action(meeting, text="Review CR032 again")
            decision_create(group=dag, meeting=meeting, wording="CR032 to IA")
            risk = raid_item_create(title="Risk", group=dag, owner=make_person())
            risk.change_requests.add(cr)
            AgendaItem.objects.create(
                meeting=meeting, number="4", order=4, title="CRs", minutes="CR032 discussed."
            )
        with django_assert_num_queries(DETAIL_QUERIES):
            response = client.get(cr.get_absolute_url())
        assert response.content.decode().count('class="passage"') == size


def test_anonymous_is_sent_to_login(client, dag):
    cr = make_cr(dag)
    for url in (LIST_URL, cr.get_absolute_url(), f"{LIST_URL}new/", f"{LIST_URL}board/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
