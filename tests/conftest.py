"""Fixtures shared by the test modules: the DAG with a user in each role, a member of another
group, and the DAG029 meeting of the demo data.

The users have the demo's usernames and names (secretariat, chair, member, observer) and the
password "pw". A module that needs different people defines a fixture of the same name: pytest
uses the module's own.
"""

import json
import logging

import pytest
from django.core.cache import cache
from django.test import TestCase, TransactionTestCase

from core.models import Role
from meetings.models import Meeting
from notifications.models import OutboundEmail
from notifications.outbox import send_outbound_emails
from tests.demo_data import load_demo
from tests.factories import GroupFactory, UserFactory
from tests.smtp_sink import SmtpSink


def _database_use(item):
    """ "transactional", "db" or None, as pytest-django groups the test (its database tests
    roll back; the transactional ones flush the database after each test)."""
    cls = getattr(item, "cls", None)
    if cls is not None and issubclass(cls, TransactionTestCase):
        return "db" if issubclass(cls, TestCase) else "transactional"
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    if (
        (marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))
        or "transactional_db" in fixtures
        or "live_server" in fixtures
    ):
        return "transactional"
    return "db" if marker or "db" in fixtures else None


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """pytest-django runs the database tests, then the transactional ones, then those without
    a database. Within that order, the slow tests go first: the slow tests without a
    database (the quick start and README commands, minutes each) before everything, as
    they touch no test database, and the slow transactional ones (browser, worker and
    migrations tests) first among those. Two workers sharing the suite then finish on
    short tests together, instead of one running a long test alone at the end."""

    def rank(item):
        slow = item.get_closest_marker("slow") is not None
        use = _database_use(item)
        if use is None:
            return 0 if slow else 4
        if use == "db":
            return 1
        return 2 if slow else 3

    items.sort(key=rank)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Login failures and rate limits are counted in the cache: each test starts at zero."""
    cache.clear()
    yield
    cache.clear()


class SecurityLog(logging.Handler):
    """The events written to the security log, each decoded from its JSON line."""

    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.events = []

    def emit(self, record):
        self.events.append(json.loads(record.getMessage()))

    def named(self, event):
        return [e for e in self.events if e["event"] == event]


@pytest.fixture
def security_log():
    handler = SecurityLog()
    logger = logging.getLogger("security")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


@pytest.fixture
def dag(db):
    return GroupFactory(code="DAG", name="Design Advisory Group", programme_label="MHHS")


@pytest.fixture
def secretariat(dag):
    return UserFactory(
        username="secretariat", group=dag, role=Role.SECRETARIAT, person_name="Fraser Mathieson"
    )


@pytest.fixture
def chair(dag):
    return UserFactory(username="chair", group=dag, role=Role.CHAIR, person_name="Justin Andrews")


@pytest.fixture
def member(dag):
    return UserFactory(username="member", group=dag, role=Role.MEMBER, person_name="Paul Pettitt")


@pytest.fixture
def observer(dag):
    return UserFactory(
        username="observer", group=dag, role=Role.OBSERVER, person_name="Danielle Walton"
    )


@pytest.fixture
def dag_users(secretariat, chair, member, observer):
    """The DAG's people: {role: user}, one user per role."""
    return {
        Role.SECRETARIAT: secretariat,
        Role.CHAIR: chair,
        Role.MEMBER: member,
        Role.OBSERVER: observer,
    }


@pytest.fixture
def outsider(db):
    """A member of another group (TMAG), who sees nothing of the DAG."""
    return UserFactory(username="outsider", group=GroupFactory(code="TMAG"), role=Role.MEMBER)


@pytest.fixture
def dag029(db):
    """The DAG029 meeting of the demo data (python manage.py load_demo), loaded for the test.
    The demo brings its own users (secretariat, chair, member, observer; password "demo"),
    so do not combine this with the role fixtures above."""
    load_demo()
    return Meeting.objects.get(group__code="DAG", number=29)


class Mailbox:
    """What a real SMTP server on loopback received from the outbox."""

    def __init__(self, recorder):
        self.recorder = recorder

    @staticmethod
    def deliver():
        """Send every planned email, as the worker does after the commit."""
        pending = OutboundEmail.objects.pending().order_by("pk").values_list("pk", flat=True)
        send_outbound_emails.run(list(pending))

    @property
    def messages(self):
        return list(self.recorder.messages)

    def to(self, address, subject_contains=""):
        return [m for m in self.messages if m["To"] == address and subject_contains in m["Subject"]]


@pytest.fixture
def mailbox(settings):
    """A recording SMTP server on loopback the outbox sends to (tests/smtp_sink.py);
    mailbox.deliver() sends what is planned, mailbox.to(address) reads what arrived."""
    sink = SmtpSink().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_TIMEOUT = 5
    settings.SITE_URL = "https://governance.example.org"
    yield Mailbox(sink.recorder)
    sink.stop()


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """A real S3 server (SeaweedFS, tests/s3_server.py), one for the test session."""
    from tests.s3_server import SeaweedS3

    server = SeaweedS3(tmp_path_factory.mktemp("seaweedfs")).start()
    yield server
    server.stop()


@pytest.fixture
def s3_storage(settings, s3_server):
    """Stored files go to a fresh bucket of the S3 server, as with S3_BUCKET set; the
    bucket's name is returned."""
    bucket = s3_server.new_bucket()
    store = s3_server.storage(bucket)
    settings.STORAGES = {**settings.STORAGES, "default": store, "s3": store}
    return bucket
