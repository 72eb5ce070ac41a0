"""The group page's membership history: who joined, who left, who changed role, when and by
whom; and the group's own history."""

import re

import pytest

from core.models import Membership, Role
from core.templatetags.audit import membership_entries
from tests.factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


def save_as(user, record, **changes):
    for name, value in changes.items():
        setattr(record, name, value)
    record._history_user = user
    record.save()


def whats(group):
    return [(entry["person"].name, entry["what"]) for entry in reversed(membership_entries(group))]


def test_joining_leaving_and_changing_role_are_told_apart(dag, secretariat):
    lee = MembershipFactory(group=dag, person=PersonFactory(name="Lee Cox"))
    haz = MembershipFactory(group=dag, person=PersonFactory(name="Haz Elmamoun"))
    save_as(secretariat, lee, role=Role.CHAIR)
    save_as(secretariat, haz, active=False)
    save_as(secretariat, haz, active=True)
    save_as(secretariat, lee, constituency="Large Supplier Representative")
    save_as(secretariat, lee)  # saved, nothing changed: not an entry
    lee._history_user = secretariat
    lee.delete()

    assert whats(dag)[1:] == [  # the first is the secretariat's own joining
        ("Lee Cox", "Joined as Member"),
        ("Haz Elmamoun", "Joined as Member"),
        ("Lee Cox", "Role changed from Member to Chair"),
        ("Haz Elmamoun", "Left (was Member)"),
        ("Haz Elmamoun", "Rejoined as Member"),
        ("Lee Cox", "Constituency changed from — to Large Supplier Representative"),
        ("Lee Cox", "Left (was Chair)"),
    ]
    assert {entry["who"] for entry in membership_entries(dag)[:5]} == {"Fraser Mathieson"}


def test_removing_someone_who_had_left_is_not_a_second_leaving(dag):
    membership = MembershipFactory(group=dag, person=PersonFactory(name="Lee Cox"))
    save_as(None, membership, active=False)
    membership.delete()
    assert [what for _, what in whats(dag)][-2:] == [
        "Left (was Member)",
        "Removed (had left as Member)",
    ]


def test_a_membership_written_before_its_history_was_kept(dag):
    """Memberships that exist before the upgrade have no creation version."""
    [membership] = Membership.objects.bulk_create(
        [Membership(group=dag, person=PersonFactory(name="Old Hand"))]
    )
    membership.role = Role.OBSERVER
    membership.save()
    assert whats(dag) == [("Old Hand", "Observer (earlier changes not recorded)")]


def test_group_page_shows_membership_history_newest_first(client, dag, secretariat, member):
    lee = MembershipFactory(group=dag, person=PersonFactory(name="Lee Cox"))
    save_as(secretariat, lee, active=False)
    client.force_login(member)

    content = client.get(dag.get_absolute_url()).content.decode()

    section = content[content.index("Membership history") :]
    rows = re.findall(r"<tr>(.*?)</tr>", section, re.S)[1:]  # after the header row
    assert "Lee Cox" in rows[0] and "Left (was Member)" in rows[0]
    assert "Fraser Mathieson</td>" in rows[0]
    assert "Lee Cox" in rows[1] and "Joined as Member" in rows[1]
    assert re.search(r"\d\d/\d\d/\d{4} \d\d:\d\d</time>", rows[0])


def test_group_page_shows_the_group_history(client, dag, secretariat, member):
    save_as(secretariat, dag, name="Design Authority Group")
    client.force_login(member)
    content = client.get(dag.get_absolute_url()).content.decode()
    assert "<strong>Changed</strong> by Fraser Mathieson" in content
    assert "Design Authority Group" in content


# The group page: the session, the user, their person and roles (4), the group (1), its
# memberships (1), three action counts (3), meetings (1), the user's calendar feed of the
# group (1), the membership history (1), child groups (1) and the group's own history (1).
GROUP_PAGE_QUERIES = 14


def test_group_page_runs_a_fixed_number_of_queries(
    client, dag, secretariat, member, django_assert_num_queries
):
    """The membership history reads every version with its person and author in one query:
    no query per membership or per version (the N+1 of fetching each version's person and
    the user who made the change), however long the group's history grows."""
    client.force_login(member)
    client.get(dag.get_absolute_url())  # warm the session
    with django_assert_num_queries(GROUP_PAGE_QUERIES):
        client.get(dag.get_absolute_url())
    for n in range(5):
        membership = MembershipFactory(group=dag, person=PersonFactory(name=f"New {n}"))
        save_as(secretariat, membership, role=Role.OBSERVER)
    with django_assert_num_queries(GROUP_PAGE_QUERIES):
        client.get(dag.get_absolute_url())
