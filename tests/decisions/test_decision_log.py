"""The decision log (/decisions/): the decisions of the user's groups, newest first,
filtered by group, meeting, status, area, change request, date range and text, and its
export (/decisions/export.csv, .xlsx) with the papers' columns."""

import csv
import datetime
import io

from django.test import TestCase
from django.utils import timezone
from openpyxl import load_workbook

from changerequests.services import change_request_create
from core.models import Membership, Role
from decisions import services
from decisions.models import DecisionStatus
from tests.factories import make_group, make_meeting, make_user

LIST_URL = "/decisions/"
COLUMNS = ["Area", "Dec Ref", "Decision", "Meeting", "Date", "How decided"]
# Session, user, roles, Person (menu), count, the page's ids, its rows (with meeting,
# group, decider and current wording), the group choices of the filter form (its meetings
# are listed only once a group is chosen).
LIST_QUERIES = 8
# Session, user, roles, the rows (a server-side cursor reads them in chunks).
EXPORT_QUERIES = 4


def at(day, month=10, hour=10, minute=0):
    return timezone.make_aware(datetime.datetime(2023, month, day, hour, minute))


class DecisionLogTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.dag = make_group("DAG")
        cls.member = make_user("member", group=cls.dag, role=Role.MEMBER)
        cls.chair = make_user("chair", group=cls.dag, role=Role.CHAIR, person_name="Ian Smith")
        cls.dag28 = make_meeting(cls.dag, number=28, date=datetime.date(2023, 9, 13))
        cls.dag29 = make_meeting(cls.dag, number=29, date=datetime.date(2023, 10, 11))
        cls.cr032 = change_request_create(
            title="Change to Interface IF-165 P0210 TUoS Reporting", reference="CR032"
        )

        def taken(reference, area, wording, when, **fields):
            fields.setdefault("status", DecisionStatus.APPROVED)
            return services.decision_create(
                group=cls.dag,
                reference=reference,
                area=area,
                wording=wording,
                decided_at=when,
                decided_by=cls.chair.person,
                **fields,
            )

        cls.rejected = taken(
            "DAG-DEC74",
            "Design Principles",
            "The SRO rejected the design principles",
            at(13, 9),
            status=DecisionStatus.REJECTED,
            meeting=cls.dag28,
        )
        cls.minutes = taken(
            "DAG-DEC75",
            "Minutes and Actions",
            "Headline Report and change marked Minutes of DAG meeting held 13 September 2023 "
            "approved",
            at(11, 10, 10, 5),
            meeting=cls.dag29,
        )
        cls.cr = taken(
            "DAG-DEC76",
            "CR032 Impact Assessment",
            "The SRO agreed CR032 should be issued to Impact Assessment",
            at(11, 10, 10, 40),
            meeting=cls.dag29,
            change_requests=[cls.cr032],
            proposed_wording="CR032 to Impact Assessment",
        )
        cls.coco = taken(
            "DAG-DEC77",
            "=Updates to the Interface Code of Connections",
            "The SRO approved updates to the Interface Code of Connections for publication as v1.1",
            at(20, 10, 16),
            by_correspondence=True,
        )
        services.decision_revise(
            decision=cls.coco,
            wording="The SRO approved updates to the Interface Code of Connections as v1.2",
            reason="Version number",
            user=cls.chair,
        )
        cls.proposed = services.decision_create(
            group=cls.dag, area="Transition Design", wording="Tranche 2 artefacts to consultation"
        )
        cls.hidden = services.decision_create(group=make_group("TMAG"), wording="TMAG's own")

    def setUp(self):
        self.client.force_login(self.member)

    def refs(self, **params):
        response = self.client.get(LIST_URL, params)
        self.assertEqual(response.status_code, 200)
        return [d.reference for d in response.context["page"].object_list]

    def test_decisions_of_my_groups_newest_first_awaiting_approval_on_top(self):
        response = self.client.get(LIST_URL)

        self.assertEqual(
            self.refs(),
            [self.proposed.reference, "DAG-DEC77", "DAG-DEC76", "DAG-DEC75", "DAG-DEC74"],
        )
        content = response.content.decode()
        self.assertNotIn("TMAG&#x27;s own", content)
        self.assertIn("Ian Smith, 11/10/2023 10:40", content)  # who and when
        self.assertIn("as v1.2", content)  # the current (corrected) wording, marked so
        self.assertIn("Corrected", content)

    def test_each_filter(self):
        cases = [
            ({"group": "DAG"}, ["DAG-DEC78", "DAG-DEC77", "DAG-DEC76", "DAG-DEC75", "DAG-DEC74"]),
            ({"meeting": self.dag29.pk}, ["DAG-DEC76", "DAG-DEC75"]),
            ({"status": "approved"}, ["DAG-DEC77", "DAG-DEC76", "DAG-DEC75"]),
            ({"status": "rejected"}, ["DAG-DEC74"]),
            ({"status": "proposed"}, ["DAG-DEC78"]),
            ({"area": "impact"}, ["DAG-DEC76"]),
            ({"cr": "cr032"}, ["DAG-DEC76"]),
            ({"date_from": "01/10/2023", "date_to": "11/10/2023"}, ["DAG-DEC76", "DAG-DEC75"]),
            ({"date_from": "12/10/2023"}, ["DAG-DEC77"]),
            ({"q": "code of connections"}, ["DAG-DEC77"]),
            ({"q": "DAG-DEC75"}, ["DAG-DEC75"]),
            ({"q": "to Impact Assessment"}, ["DAG-DEC76"]),  # the words as proposed too
            ({"q": "v1.2"}, ["DAG-DEC77"]),  # and as corrected
            ({"q": "v1.1"}, ["DAG-DEC77"]),  # and as approved
            ({"status": "approved", "meeting": self.dag29.pk, "q": "minutes"}, ["DAG-DEC75"]),
        ]
        self.assertEqual(self.proposed.reference, "DAG-DEC78")
        for params, expected in cases:
            with self.subTest(params=params):
                self.assertEqual(self.refs(**params), expected)

    def test_the_meeting_choices_are_the_chosen_groups_meetings(self):
        """Not a select of every meeting: none until a group is chosen (or only the one a
        bookmarked log names), then that group's meetings, newest first, with their dates."""
        tmag = make_group("TMAG2")
        Membership.objects.create(group=tmag, person=self.member.person, role=Role.MEMBER)
        tmag_meeting = make_meeting(tmag, number=4)
        choices = self.client.get(LIST_URL).context["filter"].form.fields["meeting"].choices
        self.assertEqual([label for _, label in choices], ["Any meeting (choose a group first)"])
        form = self.client.get(LIST_URL, {"meeting": self.dag29.pk}).context["filter"].form
        self.assertEqual(
            [label for _, label in form.fields["meeting"].choices][1:], ["DAG029 (11/10/2023)"]
        )
        form = self.client.get(LIST_URL, {"group": "DAG"}).context["filter"].form
        labels = [label for _, label in form.fields["meeting"].choices][1:]
        self.assertEqual(labels[:2], ["DAG029 (11/10/2023)", "DAG028 (13/09/2023)"])
        self.assertNotIn(tmag_meeting.code, " ".join(labels))

    def test_bad_filter_values_are_reported_and_ignored(self):
        for params, error in (
            ({"date_from": "31/02/2023"}, "Enter a valid date."),
            ({"meeting": "abc"}, "Select a valid choice"),
            ({"group": "TMAG"}, "Select a valid choice"),  # not one of my groups
            ({"status": "maybe"}, "Select a valid choice"),
        ):
            with self.subTest(params=params):
                response = self.client.get(LIST_URL, params)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, error)
                self.assertEqual(len(response.context["page"].object_list), 5)

    def test_csv_export_has_the_papers_columns_and_the_filters(self):
        response = self.client.get("/decisions/export.csv", {"meeting": self.dag29.pk, "page": 2})

        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn('attachment; filename="decisions-', response["Content-Disposition"])
        text = response.getvalue().decode("utf-8")
        self.assertTrue(text.startswith("\ufeff"))  # Excel reads it as UTF-8
        rows = list(csv.reader(io.StringIO(text[1:])))
        self.assertEqual(rows[0], COLUMNS)
        self.assertEqual(
            rows[1:],
            [
                [
                    "CR032 Impact Assessment",
                    "DAG-DEC76",
                    "The SRO agreed CR032 should be issued to Impact Assessment",
                    "DAG029",
                    "11/10/2023",
                    "At DAG029",
                ],
                [
                    "Minutes and Actions",
                    "DAG-DEC75",
                    "Headline Report and change marked Minutes of DAG meeting held 13 September "
                    "2023 approved",
                    "DAG029",
                    "11/10/2023",
                    "At DAG029",
                ],
            ],
        )

    def test_csv_export_of_the_whole_log(self):
        text = self.client.get("/decisions/export.csv").getvalue().decode("utf-8")[1:]

        rows = list(csv.reader(io.StringIO(text)))
        self.assertEqual([row[1] for row in rows[1:]], self.refs())
        by_ref = {row[1]: row for row in rows[1:]}
        # A cell a spreadsheet would run as a formula is written as text.
        self.assertEqual(by_ref["DAG-DEC77"][0], "'=Updates to the Interface Code of Connections")
        self.assertEqual(by_ref["DAG-DEC77"][2], self.coco.revisions.get().wording)
        self.assertEqual(by_ref["DAG-DEC77"][3:], ["", "20/10/2023", "By correspondence"])
        self.assertEqual(by_ref["DAG-DEC74"][5], "Rejected at DAG028")
        self.assertEqual(by_ref["DAG-DEC78"][4:], ["", "Awaiting approval"])
        self.assertNotIn("TMAG", text)

    def test_xlsx_export(self):
        response = self.client.get("/decisions/export.xlsx", {"status": "approved"})

        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response["Content-Type"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        sheet = load_workbook(io.BytesIO(response.content))["Decisions"]
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(list(rows[0]), COLUMNS)
        self.assertEqual([row[1] for row in rows[1:]], ["DAG-DEC77", "DAG-DEC76", "DAG-DEC75"])
        self.assertEqual(rows[2][4], datetime.datetime(2023, 10, 11))
        self.assertEqual(sheet["E3"].number_format, "DD/MM/YYYY")
        # Text a spreadsheet would run as a formula is a text cell with Excel's quote prefix.
        self.assertEqual(rows[1][0], "=Updates to the Interface Code of Connections")
        self.assertEqual((sheet["A2"].data_type, sheet["A2"].quotePrefix), ("s", True))
        self.assertEqual(rows[1][5], "By correspondence")

    def test_the_export_links_keep_the_filters(self):
        response = self.client.get(LIST_URL, {"status": "approved", "q": "CR032"})

        self.assertContains(
            response, "/decisions/export.csv?status=approved&amp;q=CR032&amp;page=1"
        )
        self.assertContains(
            response, "/decisions/export.xlsx?status=approved&amp;q=CR032&amp;page=1"
        )

    def test_unknown_export_format_is_404(self):
        response = self.client.get("/decisions/export.pdf", follow=True)
        self.assertEqual(response.status_code, 404)


class DecisionLogQueriesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.dag = make_group("DAG")
        cls.member = make_user("member", group=cls.dag, role=Role.MEMBER)
        cls.chair = make_user("chair", group=cls.dag, role=Role.CHAIR)

    def add(self, count):
        """Decisions at meetings, decided by the chair, half of them corrected."""
        for n in range(count):
            decision = services.decision_create(
                group=self.dag,
                meeting=make_meeting(self.dag),
                wording=f"Agreed {n}",
                status=DecisionStatus.APPROVED,
                decided_at=at(1 + n % 28),
                decided_by=self.chair.person,
            )
            if n % 2:
                services.decision_revise(
                    decision=decision, wording=f"Corrected {n}", reason="Typo", user=self.chair
                )

    def test_the_log_takes_a_fixed_number_of_queries(self):
        """Each row's meeting (its code needs the group), the person who decided and the
        current wording (the latest correction) come with the rows, not one query each."""
        self.client.force_login(self.member)
        self.add(3)
        with self.assertNumQueries(LIST_QUERIES):
            self.assertContains(self.client.get(LIST_URL), "Corrected 1")
        self.add(30)
        with self.assertNumQueries(LIST_QUERIES):
            self.assertContains(self.client.get(LIST_URL), "Corrected 29")

    def test_the_export_takes_a_fixed_number_of_queries(self):
        """The export reads the meeting and current wording of every row with the rows,
        not one query per row, however long the log."""
        self.client.force_login(self.member)
        self.add(3)
        for fmt in ("csv", "xlsx"):
            with self.assertNumQueries(EXPORT_QUERIES):
                # getvalue() reads the streamed CSV, whose rows are read as it is sent.
                self.assertTrue(self.client.get(f"/decisions/export.{fmt}").getvalue())
        self.add(60)
        with self.assertNumQueries(EXPORT_QUERIES):
            text = self.client.get("/decisions/export.csv").getvalue().decode("utf-8")
        self.assertEqual(len(list(csv.reader(io.StringIO(text)))), 1 + 63)
        with self.assertNumQueries(EXPORT_QUERIES):
            self.assertEqual(self.client.get("/decisions/export.xlsx").status_code, 200)
