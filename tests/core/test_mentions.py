"""The Mention table (core/mentions.py): written whenever a registered text is saved (an
action, its updates, a decision, a RAID item and its reviews, the minutes), so the pages
listing where a record is named read an index, not every text."""

from django.test import TestCase

from actions.models import Action
from actions.services import action_add_update
from core.mentions import naming, rebuild_all
from core.models import Mention
from meetings.models import AgendaItem
from raid.models import RaidItem, RaidReview
from tests.factories import RaidItemFactory, make_action, make_group, make_meeting, make_user


def named(reference, model):
    return set(model.objects.filter(pk__in=naming(reference, model)))


class MentionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.dag = make_group("DAG")
        cls.meeting = make_meeting(cls.dag, number=29)
        cls.secretariat = make_user("sec")

    def test_an_action_names_what_its_text_and_updates_name(self):
        action = make_action(self.meeting, text="NGESO to amend CR032 and resubmit")
        other = make_action(self.meeting, text="Look at CR0321 instead")
        self.assertEqual(named("CR032", Action), {action})
        self.assertEqual(named("CR0321", Action), {other})

        action_add_update(
            action=action, text="Superseded by CR044", date=self.meeting.date, user=self.secretariat
        )
        self.assertEqual(named("CR044", Action), {action})

        action.text = "NGESO to resubmit"
        action.save()
        self.assertEqual(named("CR032", Action), set())
        self.assertEqual(named("CR044", Action), {action})  # the update still names it

        action.updates.all().delete()
        self.assertEqual(named("CR044", Action), set())
        action.delete()
        self.assertFalse(Mention.objects.filter(object_id=action.pk, reference="CR0321"))

    def test_minutes_and_raid_reviews(self):
        item = AgendaItem.objects.create(
            meeting=self.meeting, number="4", order=4, title="CRs", minutes="CR032 agreed."
        )
        self.assertEqual(named("CR032", AgendaItem), {item})
        item.minutes = "Deferred to DAG030; see R184."
        item.save()
        self.assertEqual(named("CR032", AgendaItem), set())
        self.assertEqual(named("R184", AgendaItem), {item})

        risk = RaidItemFactory(group=self.dag)
        RaidReview.objects.create(raid_item=risk, meeting=self.meeting, conclusion="See CR045")
        self.assertEqual(named("CR045", RaidItem), {risk})

    def test_rebuild_writes_what_bulk_writes_left_out(self):
        action = make_action(self.meeting, text="Review CR050")
        Mention.objects.all().delete()
        Action.objects.filter(pk=action.pk).update(text="Review CR050 and CR051")
        self.assertGreaterEqual(rebuild_all(), 2)
        self.assertEqual(named("CR051", Action), {action})
