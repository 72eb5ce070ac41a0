"""Two people saving the same agenda item's minutes at the same moment: one save wins, the
other is refused with the winner's text, and nothing typed is lost."""

import datetime
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from core.models import Role
from meetings.models import AgendaItem
from meetings.services import StaleMinutes, minutes_save
from tests.factories import make_group, make_meeting, make_user

ROUNDS = 8


def race(*calls):
    """Run the calls in threads (each with its own database connection) released together."""
    start = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(position, call):
        try:
            start.wait()
            results[position] = call()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            results[position] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def save(item, text, version):
    """What an editor who loaded `version` does: save from their own copy of the item."""
    own_copy = AgendaItem.objects.select_related("meeting").get(pk=item.pk)
    return minutes_save(item=own_copy, text=text, version=version)


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_of_one_item_lose_nothing():
    meeting = make_meeting(make_group("DAG"), number=29, date=datetime.date(2023, 10, 11))
    item = AgendaItem.objects.create(meeting=meeting, number="2", title="Minutes and Actions")

    for round_ in range(ROUNDS):
        version = item.minutes_version
        texts = [f"Alice's minutes, round {round_}", f"Bob's minutes, round {round_}"]

        results = race(
            *(lambda text=text, version=version: save(item, text, version) for text in texts)
        )

        item.refresh_from_db()
        winners = [
            text
            for text, result in zip(texts, results, strict=True)
            if isinstance(result, AgendaItem)
        ]
        losers = [result for result in results if isinstance(result, StaleMinutes)]
        assert len(winners) == 1 and len(losers) == 1, results
        assert item.minutes == winners[0]
        assert item.minutes_version == version + 1
        # The refused editor is shown the winner's text; theirs is still in their own form.
        assert losers[0].item.minutes == winners[0]
    assert item.history.count() == 1 + ROUNDS


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_through_the_page():
    group = make_group("DAG")
    meeting = make_meeting(group, number=29, date=datetime.date(2023, 10, 11))
    item = AgendaItem.objects.create(meeting=meeting, number="4", title="CR032")
    url = reverse("meetings:minutes_save", args=[meeting.pk, item.pk])
    clients = []
    for name in ("alice", "bob"):
        client = Client()
        client.force_login(make_user(name, group=group, role=Role.SECRETARIAT))
        clients.append(client)

    def post(client, text):
        return client.post(url, {"text": text, "version": 0}, HTTP_HX_REQUEST="true")

    responses = race(
        lambda: post(clients[0], "Alice's text"), lambda: post(clients[1], "Bob's text")
    )

    item.refresh_from_db()
    assert item.minutes_version == 1
    refused = [r for r in responses if "Not saved: someone else saved" in r.content.decode()]
    assert len(refused) == 1
    assert item.minutes in refused[0].content.decode()
