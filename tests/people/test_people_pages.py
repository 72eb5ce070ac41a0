"""People and organisations in the ordinary pages: find, edit, merge; organisations
renamed and merged. Forbidden changes write nothing."""

import pytest
from django.urls import reverse

from core.models import Organisation, Person, Role
from decisions.models import Decision
from meetings.models import Attendance
from meetings.services import attendance_add
from people.merge import person_relations
from people.models import PersonMerge
from tests.factories import (
    ActionFactory,
    DecisionFactory,
    MeetingFactory,
    PersonFactory,
    make_user,
)

pytestmark = pytest.mark.django_db


def test_directory_finds_by_name_initials_organisation_and_email(client, secretariat):
    org = Organisation.objects.create(name="Elexon", short_name="ELX")
    PersonFactory(name="Seth Chapman", initials="SC", organisation=org, email="seth@elexon.test")
    PersonFactory(name="Sarah Cole")
    client.force_login(secretariat)
    url = reverse("people:directory")
    for q in ("chapman", "SC", "elexon", "ELX", "seth@elexon"):
        page = client.get(url, {"q": q}).content.decode()
        assert "Seth Chapman" in page, q
    assert "Sarah Cole" not in client.get(url, {"q": "elexon"}).content.decode()


def test_secretariat_edits_a_person_and_the_history_says_who(client, secretariat):
    person = PersonFactory(name="Paul Petit")
    client.force_login(secretariat)
    url = reverse("people:person_edit", args=[person.pk])
    form = client.get(url).context["form"]
    response = client.post(
        url,
        {
            "name": "Paul Pettitt",
            "initials": "PP",
            "organisation": "Elexon",
            "email": "paul@example.org",
            "active": "on",
            "version": form.initial["version"],
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.name, person.organisation.name, person.email) == (
        "Paul Pettitt",
        "Elexon",
        "paul@example.org",
    )
    latest = person.history.latest()
    assert latest.history_user == secretariat and latest.name == "Paul Pettitt"


@pytest.mark.parametrize("role", [Role.CHAIR, Role.MEMBER, Role.OBSERVER])
def test_only_the_secretariat_edits_people(client, dag, role):
    user = make_user(group=dag, role=role)
    person = PersonFactory(name="Unchanged Person")
    client.force_login(user)
    url = reverse("people:person_edit", args=[person.pk])
    response = client.post(url, {"name": "Changed", "version": 0})
    assert response.status_code == 403
    assert Person.objects.get(pk=person.pk).name == "Unchanged Person"
    assert client.post(reverse("people:person_merge", args=[person.pk])).status_code == 403


def test_edit_refuses_a_duplicate_email_next_to_the_field(client, secretariat):
    PersonFactory(name="Other", email="taken@example.org")
    person = PersonFactory(name="Someone")
    client.force_login(secretariat)
    url = reverse("people:person_edit", args=[person.pk])
    version = client.get(url).context["form"].initial["version"]
    response = client.post(
        url, {"name": "Someone", "email": "TAKEN@example.org", "version": version}
    )
    assert response.status_code == 200
    assert "already has this email" in response.context["form"].errors["email"][0]
    assert response.context["form"]["email"].value() == "TAKEN@example.org"


def test_merge_moves_every_line_and_is_recorded(client, dag, secretariat, security_log):
    kept = PersonFactory(name="Seth Chapman")
    duplicate = PersonFactory(name="S Chapman", email="seth@example.org")
    meeting, other_meeting = MeetingFactory(group=dag), MeetingFactory(group=dag)
    attendance_add(meeting=meeting, person=duplicate)
    attendance_add(meeting=other_meeting, person=duplicate)
    attendance_add(meeting=other_meeting, person=kept)  # both at one meeting
    action = ActionFactory(meeting=meeting, owners=[duplicate])
    decision = DecisionFactory(group=dag, decided_by=duplicate)
    client.force_login(secretariat)
    response = client.post(
        reverse("people:person_merge", args=[kept.pk]),
        {"merged": duplicate.pk, "reason": "Recorded twice from the DAG029 paper"},
    )
    assert response.status_code == 302
    assert not Person.objects.filter(pk=duplicate.pk).exists()
    assert list(action.owners.all()) == [kept]
    assert Decision.objects.get(pk=decision.pk).decided_by == kept
    assert Attendance.objects.filter(person=kept).count() == 2
    # Nothing anywhere still names the removed record, history tables included.
    for rel in person_relations():
        leftover = rel.related_model._base_manager.filter(**{rel.field.attname: duplicate.pk})
        assert not leftover.exists(), rel
    merge = PersonMerge.objects.get(kept=kept)
    assert merge.by == secretariat and merge.merged_name == "S Chapman"
    assert merge.reason == "Recorded twice from the DAG029 paper"
    assert len(merge.dropped) == 1 and merge.dropped[0]["table"] == "meetings.Attendance"
    kept.refresh_from_db()
    assert kept.email == "seth@example.org"  # the removed record's email filled the blank
    removal = Person.history.filter(id=duplicate.pk, history_type="-").get()
    assert removal.history_user == secretariat
    assert removal.history_change_reason.startswith("Merged S Chapman")
    assert security_log.named("person_merged")[0]["merged"] == duplicate.pk
    page = client.get(reverse("people:person_merges", args=[kept.pk])).content.decode()
    assert "Recorded twice from the DAG029 paper" in page


def test_merge_needs_a_reason_and_keeps_what_was_typed(client, secretariat):
    kept, duplicate = PersonFactory(), PersonFactory()
    client.force_login(secretariat)
    response = client.post(
        reverse("people:person_merge", args=[kept.pk]), {"merged": duplicate.pk, "reason": " "}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert Person.objects.filter(pk=duplicate.pk).exists()


def test_organisations_renamed_and_merged(client, secretariat):
    kept = Organisation.objects.create(name="Elexon Ltd")
    duplicate = Organisation.objects.create(name="ELEXON", short_name="ELX")
    person = PersonFactory(organisation=duplicate)
    client.force_login(secretariat)
    url = reverse("people:organisation_edit", args=[kept.pk])
    # Renaming to a name already recorded (in any case) is refused: merge them instead.
    version = client.get(url).context["form"].initial["version"]
    refused = client.post(url, {"rename": "1", "name": "Elexon", "version": version})
    assert "merge the two organisations" in refused.context["form"].errors["name"][0]
    client.post(url, {"merge": "1", "merged": duplicate.pk})
    version = client.get(url).context["form"].initial["version"]
    client.post(url, {"rename": "1", "name": "Elexon", "short_name": "ELX", "version": version})
    kept.refresh_from_db()
    person.refresh_from_db()
    assert (kept.name, kept.short_name) == ("Elexon", "ELX")
    assert person.organisation == kept
    assert not Organisation.objects.filter(pk=duplicate.pk).exists()
    assert kept.history.filter(history_user=secretariat).exists()
    assert Organisation.history.filter(id=duplicate.pk, history_type="-").exists()


def test_member_may_not_merge_organisations(client, member):
    kept = Organisation.objects.create(name="A")
    duplicate = Organisation.objects.create(name="B")
    client.force_login(member)
    url = reverse("people:organisation_edit", args=[kept.pk])
    assert client.post(url, {"merge": "1", "merged": duplicate.pk}).status_code == 403
    assert Organisation.objects.count() == 2
