"""An installation of the old layout (people, groups, the outbox and documents in the meetings
app) upgrades to the new one (core, notifications, documents) without losing a row.

Each test migrates a scratch database of its own, which the default connection points at for
the test (the migrations' RunPython code reads and writes through the default connection):
the upgrade test migrates it from empty to the old layout, fills it through the models of
that migration state (every moved table, and rows of every app pointing at them, with their
history), migrates it to the latest migrations, then reads it through today's models.
Building the old layout forwards from empty costs a fraction of unapplying every later
migration of the test database, and the test database stays at the latest throughout.
"""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from actions.models import Action, ActionOwner, ActionUpdate
from changerequests.models import ChangeRequest
from core.models import GovernanceGroup, Membership, Organisation, Person
from decisions.models import CorrespondenceRecipient, Decision
from documents.models import Document
from meetings.models import Attendance, Meeting
from notifications.models import EmailPreference, OutboundEmail
from raid.models import RaidItem

# The default connection is closed and pointed at another database during a test, and
# PostgreSQL creates a database outside any transaction: no transaction around the test.
pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

OLD_LAYOUT = [
    ("meetings", "0002_minutes_events_outbox_documents"),
    ("actions", "0005_open_search_index"),
    ("decisions", "0003_decision_papers"),
    ("changerequests", "0002_approval_status_follows_stage"),
    ("raid", "0002_history_of_change_request_links"),
]
NEW_APPS = ["core", "notifications", "documents"]  # did not exist in the old layout
MOVED = {
    "organisation": "core",
    "person": "core",
    "governancegroup": "core",
    "membership": "core",
    "outboundemail": "notifications",
    "document": "documents",
}
OCT_11 = datetime.date(2023, 10, 11)


def migrate(targets, plan=None):
    """Migrates the database to `targets` (or by `plan`); returns that migration state."""
    return MigrationExecutor(connection).migrate(targets, plan=plan)


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def scratch_database():
    """The default connection pointed at a new empty database for the test, dropped after it;
    the test database is left as it is."""
    test_database = connection.settings_dict["NAME"]
    name = f"{test_database}_upgrade"
    scratch = connection.ops.quote_name(name)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {scratch}")
        # template0 takes no connections, so no other session can block the copy.
        cursor.execute(f"CREATE DATABASE {scratch} TEMPLATE template0")
    connection.close()
    connection.settings_dict["NAME"] = name
    ContentType.objects.clear_cache()  # its ids are the test database's
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = test_database
        ContentType.objects.clear_cache()
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE {scratch}")


def old_layout_plan():
    """The migrations an installation of the old layout had applied, in order: all but those
    taking a fully migrated database back to OLD_LAYOUT (and the new apps to none) undoes."""
    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    executor.loader.applied_migrations = {key: graph.nodes[key] for key in graph.nodes}
    targets = [*OLD_LAYOUT, *((app, None) for app in NEW_APPS)]
    undone = {
        (migration.app_label, migration.name) for migration, _ in executor.migration_plan(targets)
    }
    full_plan = executor.migration_plan(graph.leaf_nodes(), clean_start=True)
    return [
        (migration, False)
        for migration, _ in full_plan
        if (migration.app_label, migration.name) not in undone
    ]


@pytest.fixture
def old_layout(scratch_database):
    """The scratch database at the old layout, with the content types and permissions that
    `manage.py migrate` gave it then; returns the models of that migration state."""
    plan = old_layout_plan()
    migrate(None, plan=plan)
    # Rendered afresh: the models of the state migrate() returns may point at models
    # rendered before a later operation of the plan.
    applied = [(migration.app_label, migration.name) for migration, _ in plan]
    apps = MigrationExecutor(connection).loader.project_state(applied).apps
    emit_post_migrate_signal(0, False, connection.alias, apps=apps, plan=plan)
    return apps


def fill_old_layout(apps):
    """A row in every moved table and rows of every app pointing at them; returns their ids."""

    def model(label):
        return apps.get_model(*label.split("."))

    now = timezone.now()
    user = model("auth.User").objects.create(username="pmo", email="pmo@example.org")
    elexon = model("meetings.Organisation").objects.create(name="Elexon", short_name="ELX")
    fraser = model("meetings.Person").objects.create(
        name="Fraser Mathieson", email="fraser@example.org", organisation=elexon, user=user
    )
    lee = model("meetings.Person").objects.create(
        name="Lee Cox", organisation=elexon, daily_digest_opt_out=True, daily_digest_opt_out_at=now
    )
    psg = model("meetings.GovernanceGroup").objects.create(code="PSG", name="PSG", level=2)
    dag = model("meetings.GovernanceGroup").objects.create(
        code="DAG", name="Design Advisory Group", level=3, parent=psg, programme_label="MHHS"
    )
    membership = model("meetings.Membership").objects.create(
        group=dag, person=fraser, role="secretariat"
    )
    meeting = model("meetings.Meeting").objects.create(group=dag, number=29, date=OCT_11)
    model("meetings.HistoricalMeeting").objects.create(
        id=meeting.pk, group=dag, number=29, date=OCT_11, history_date=now, history_type="+",
        history_user=user, venue="", classification="public", status="scheduled",
    )  # fmt: skip
    attendance = model("meetings.Attendance").objects.create(
        meeting=meeting, person=lee, category="industry", on_behalf_of=fraser
    )
    model("meetings.HistoricalAttendance").objects.create(
        id=attendance.pk, meeting=meeting, person=lee, on_behalf_of=fraser, category="industry",
        status="present", history_date=now, history_type="+", history_user=user,
    )  # fmt: skip
    action = model("actions.Action").objects.create(
        reference="DAG29-01", group=dag, meeting=meeting, text="Programme to do a thing",
        date_raised=OCT_11, due_date=OCT_11 + datetime.timedelta(days=28),
    )  # fmt: skip
    owner = model("actions.ActionOwner").objects.create(action=action, person=lee)
    update = model("actions.ActionUpdate").objects.create(
        action=action, date=OCT_11, text="Started", author=lee
    )
    historical_action = model("actions.HistoricalAction").objects.create(
        id=action.pk, reference=action.reference, group=dag, meeting=meeting, text=action.text,
        date_raised=OCT_11, due_date=action.due_date, created_at=now, updated_at=now,
        history_date=now, history_type="+", history_user=user,
    )  # fmt: skip
    model("actions.HistoricalActionOwner").objects.create(
        id=owner.pk, history=historical_action, action=action, person=lee
    )
    model("actions.HistoricalActionUpdate").objects.create(
        id=update.pk, action=action, date=OCT_11, text="Started", author=lee,
        created_at=now, history_date=now, history_type="+", history_user=user,
    )  # fmt: skip
    decision = model("decisions.Decision").objects.create(
        reference="DAG-DEC01", group=dag, meeting=meeting, wording="Agreed", decided_by=lee
    )
    model("decisions.HistoricalDecision").objects.create(
        id=decision.pk, reference=decision.reference, group=dag, wording="Agreed", decided_by=lee,
        created_at=now, history_date=now, history_type="+", history_user=user,
    )  # fmt: skip
    cr = model("changerequests.ChangeRequest").objects.create(
        reference="CR032", title="A change", group=dag, raiser_person=lee,
        raiser_organisation=elexon, change_owner=fraser,
    )  # fmt: skip
    model("changerequests.HistoricalChangeRequest").objects.create(
        id=cr.pk, reference=cr.reference, title=cr.title, group=dag, raiser_person=lee,
        raiser_organisation=elexon, change_owner=fraser, created_at=now, history_date=now,
        history_type="+", history_user=user,
    )  # fmt: skip
    risk = model("raid.RaidItem").objects.create(
        reference="R001", title="A risk", group=dag, owner=lee, probability=2, impact=3
    )
    model("raid.HistoricalRaidItem").objects.create(
        id=risk.pk, reference=risk.reference, title=risk.title, group=dag, owner=lee,
        probability=2, impact=3, created_at=now, history_date=now, history_type="+",
        history_user=user,
    )  # fmt: skip
    email = model("meetings.OutboundEmail").objects.create(
        key="digest:lee:2023-10-11", kind="digest", to_address="lee@example.org",
        subject="Your actions", body_text="...", message_id="<1@example.org>",
        group=dag, person=lee, requested_by=user,
    )  # fmt: skip
    round_ = model("decisions.CorrespondenceRound").objects.create(
        group=dag, title="By correspondence", deadline=OCT_11, opened_by=user
    )
    recipient = model("decisions.CorrespondenceRecipient").objects.create(
        round=round_, person=lee, invitation=email
    )
    document = model("meetings.Document").objects.create(
        kind="minutes", scope=f"meeting:{meeting.pk}", version=1, group=dag, meeting=meeting,
        requested_by=user,
    )  # fmt: skip
    # The contenttypes table is the same in both layouts: today's model reads it.
    content_types = {
        name: ContentType.objects.get(app_label="meetings", model=name).pk for name in MOVED
    }
    return {
        "user": user.pk, "elexon": elexon.pk, "fraser": fraser.pk, "lee": lee.pk,
        "psg": psg.pk, "dag": dag.pk, "membership": membership.pk, "meeting": meeting.pk,
        "attendance": attendance.pk, "action": action.pk, "owner": owner.pk,
        "update": update.pk, "decision": decision.pk, "cr": cr.pk, "risk": risk.pk,
        "email": email.pk, "recipient": recipient.pk, "document": document.pk,
        "content_types": content_types, "opt_out_at": now,
    }  # fmt: skip


def test_upgrade_keeps_every_row_key_and_history_entry(old_layout):
    ids = fill_old_layout(old_layout)

    migrate(latest())

    # The moved tables, under their new apps, with every key between them.
    fraser = Person.objects.get(pk=ids["fraser"])
    lee = Person.objects.get(pk=ids["lee"])
    assert (fraser.name, fraser.email, fraser.user_id) == (
        "Fraser Mathieson",
        "fraser@example.org",
        ids["user"],
    )
    assert fraser.organisation == lee.organisation == Organisation.objects.get(pk=ids["elexon"])
    dag = GovernanceGroup.objects.get(pk=ids["dag"])
    assert (dag.code, dag.parent_id, dag.programme_label) == ("DAG", ids["psg"], "MHHS")
    membership = Membership.objects.get(pk=ids["membership"])
    assert (membership.group, membership.person, membership.role) == (dag, fraser, "secretariat")

    # The rows of the other apps still point at them.
    meeting = Meeting.objects.get(pk=ids["meeting"])
    assert meeting.group == dag
    attendance = Attendance.objects.get(pk=ids["attendance"])
    assert (attendance.meeting, attendance.person, attendance.on_behalf_of) == (
        meeting,
        lee,
        fraser,
    )
    action = Action.objects.get(pk=ids["action"])
    assert (action.group, action.meeting, list(action.owners.all())) == (dag, meeting, [lee])
    assert ActionOwner.objects.get(pk=ids["owner"]).person == lee
    assert ActionUpdate.objects.get(pk=ids["update"]).author == lee
    decision = Decision.objects.get(pk=ids["decision"])
    assert (decision.group, decision.decided_by) == (dag, lee)
    cr = ChangeRequest.objects.get(pk=ids["cr"])
    assert (cr.group, cr.raiser_person, cr.raiser_organisation, cr.change_owner) == (
        dag,
        lee,
        fraser.organisation,
        fraser,
    )
    risk = RaidItem.objects.get(pk=ids["risk"])
    assert (risk.group, risk.owner) == (dag, lee)
    email = OutboundEmail.objects.get(pk=ids["email"])
    assert (email.group, email.person, email.requested_by_id) == (dag, lee, ids["user"])
    assert CorrespondenceRecipient.objects.get(pk=ids["recipient"]).invitation == email
    document = Document.objects.get(pk=ids["document"])
    assert (document.group, document.meeting, document.requested_by_id) == (
        dag,
        meeting,
        ids["user"],
    )

    # Every history entry, its keys resolving to the moved rows.
    assert meeting.history.get().group == dag
    assert attendance.history.get().person == lee
    historical_action = action.history.get()
    assert (historical_action.group, historical_action.history_user_id) == (dag, ids["user"])
    assert [owner.person for owner in historical_action.owners.all()] == [lee]
    assert ActionUpdate.objects.get(pk=ids["update"]).history.get().author == lee
    assert (decision.history.get().group, decision.history.get().decided_by) == (dag, lee)
    assert cr.history.get().raiser_organisation == fraser.organisation
    assert (risk.history.get().group, risk.history.get().owner) == (dag, lee)

    # Content types are relabelled, not recreated: the same ids, so permissions and admin
    # log entries pointing at them stay valid.
    for name, app_label in MOVED.items():
        content_type = ContentType.objects.get(pk=ids["content_types"][name])
        assert (content_type.app_label, content_type.model) == (app_label, name)
        assert not ContentType.objects.filter(app_label="meetings", model=name).exists()
    permission = Permission.objects.get(codename="change_person")
    assert permission.content_type_id == ids["content_types"]["person"]

    # The daily digest opt-out moved from the person to their email preferences.
    assert list(EmailPreference.objects.values_list("person", "daily_digest_opt_out_at")) == [
        (lee.pk, ids["opt_out_at"])
    ]


def test_digest_opt_outs_move_back_to_the_person_and_forward_again(scratch_database):
    """notifications' 0003 and core's 0004 reverse cleanly, opt-outs included."""
    before = [
        ("core", "0003_group_and_membership_history"),
        ("notifications", "0002_table_renamed"),
    ]
    after = [("core", "0004_digest_opt_outs_moved"), ("notifications", "0003_email_preferences")]
    opted_out_at = timezone.now()
    person = (
        migrate(before)
        .apps.get_model("core", "Person")
        .objects.create(
            name="Lee Cox", daily_digest_opt_out=True, daily_digest_opt_out_at=opted_out_at
        )
    )

    def preferences(state):
        return list(
            state.apps.get_model("notifications", "EmailPreference").objects.values_list(
                "person", "daily_digest_opt_out_at"
            )
        )

    assert preferences(migrate(after)) == [(person.pk, opted_out_at)]
    old_person = migrate(before).apps.get_model("core", "Person").objects.get(pk=person.pk)
    assert (old_person.daily_digest_opt_out, old_person.daily_digest_opt_out_at) == (
        True,
        opted_out_at,
    )
    assert preferences(migrate(after)) == [(person.pk, opted_out_at)]
