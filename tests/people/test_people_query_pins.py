"""The people pages the other tests did not pin read a fixed number of queries whatever they
list: the programme's groups with their secretariats, a group's terms of reference, a
person's merges and account history, and one's own sessions. Each is read with one of
every kind of row it shows, then with five, and must take the same number of queries."""

import itertools

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Membership, Role
from people.models import AccountEvent, AccountEventKind, PersonMerge, UserSession
from tests.factories import GroupFactory, PersonFactory, make_user

SERIAL = itertools.count(1)  # numbers the rows the tests add


class PeoplePagesQueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.dag = GroupFactory(code="DAG", terms_of_reference="The DAG advises the PSG.")
        cls.secretariat = make_user("pmo", group=cls.dag, role=Role.SECRETARIAT)
        cls.admin = make_user("admin", superuser=True)
        cls.person = cls.secretariat.person

    def assert_same_queries(self, user, url, grow):
        """The page's queries with one of each kind of row, then after `grow` added four
        more of each: the same number (and the page shows the last row added)."""
        self.client.force_login(user)
        grow(1)
        with CaptureQueriesContext(connection) as small:
            self.assertEqual(self.client.get(url).status_code, 200)
        grow(4)
        with self.assertNumQueries(len(small.captured_queries)):
            response = self.client.get(url)
        self.assertContains(response, self.newest)

    def added(self, text):
        self.newest = text
        return text

    def test_programme_groups(self):
        """Each group comes with its parent and its current secretariat with their people
        (select_related and one prefetch): no query per group for either."""

        def grow(count):
            for _ in range(count):
                group = GroupFactory(code=self.added(f"WG{next(SERIAL)}"), parent=self.dag)
                Membership.objects.create(
                    group=group, person=PersonFactory(), role=Role.SECRETARIAT
                )

        self.assert_same_queries(self.admin, reverse("people:programme_groups"), grow)

    def test_terms_of_reference(self):
        """The form of one group's terms: the same queries however many groups and
        members there are."""

        def grow(count):
            for _ in range(count):
                Membership.objects.create(group=self.dag, person=PersonFactory(), role=Role.MEMBER)
                GroupFactory(code=f"WG{next(SERIAL)}", parent=self.dag)
            self.added("The DAG advises the PSG.")

        self.assert_same_queries(
            self.secretariat, reverse("people:terms_of_reference", args=["DAG"]), grow
        )

    def test_person_merges(self):
        """Each merge comes with who made it and their person (select_related): no query
        per merge for the name."""

        def grow(count):
            for _ in range(count):
                n = next(SERIAL)
                PersonMerge.objects.create(
                    kept=self.person,
                    merged_id=1000 + n,
                    merged_name=self.added(f"Duplicate {n}"),
                    merged_record={"name": f"Duplicate {n}"},
                    reason="The same person twice.",
                    by=make_user(group=self.dag, role=Role.SECRETARIAT),
                )

        self.assert_same_queries(
            self.secretariat, reverse("people:person_merges", args=[self.person.pk]), grow
        )

    def test_account(self):
        """Each event of the account's history comes with who made it and their person
        (select_related): no query per event for the name."""

        def grow(count):
            for _ in range(count):
                AccountEvent.objects.create(
                    person=self.person,
                    kind=AccountEventKind.PASSWORD_CHANGED,
                    by=make_user(group=self.dag, role=Role.SECRETARIAT),
                    note=self.added(f"Event {next(SERIAL)}"),
                )

        self.assert_same_queries(self.admin, reverse("people:account", args=[self.person.pk]), grow)

    def test_my_sessions(self):
        """One's sessions are one query, however many."""

        def grow(count):
            for _ in range(count):
                n = next(SERIAL)
                UserSession.objects.create(
                    user=self.secretariat,
                    session_key=f"key{n:037}",
                    user_agent=self.added(f"Browser {n}"),
                )

        self.assert_same_queries(self.secretariat, reverse("people:my_sessions"), grow)
