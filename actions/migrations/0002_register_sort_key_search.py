"""The action register's natural reference order and, on PostgreSQL, its full-text search.

sort_key is filled here for existing actions and by Action.save() from then on.

search_vector is kept by database triggers rather than by Python, so that every way of
writing an action or an update (services, the admin, bulk loads, raw SQL) keeps it right:
- before an action is inserted, or its reference, area, text or party change, the vector is
  computed from those and the text of its updates;
- after an update is added, changed or deleted, its action's vector is recomputed.
SQLite (the quick start) has no tsvector: the column stays empty and the register's search
falls back to icontains (ActionQuerySet.search).
"""

import django.contrib.postgres.search
from django.db import migrations, models

SEARCH_DOCUMENT = """
CREATE OR REPLACE FUNCTION actions_search_document(
    action_id bigint, reference text, area text, body text, party text
) RETURNS tsvector LANGUAGE sql STABLE AS $$
    SELECT setweight(to_tsvector('english', coalesce(reference, '')), 'A')
        || setweight(to_tsvector('english', coalesce(area, '') || ' ' || coalesce(party, '')), 'B')
        || setweight(to_tsvector('english', coalesce(body, '')), 'B')
        || setweight(to_tsvector('english', coalesce(
               (SELECT string_agg(u.text, ' ') FROM actions_actionupdate u
                WHERE u.action_id = actions_search_document.action_id), '')), 'C')
$$;

CREATE OR REPLACE FUNCTION actions_action_search_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := actions_search_document(
        NEW.id, NEW.reference, NEW.area, NEW.text, NEW.owner_party);
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION actions_update_search_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    changed bigint := CASE WHEN TG_OP = 'DELETE' THEN OLD.action_id ELSE NEW.action_id END;
BEGIN
    UPDATE actions_action a
    SET search_vector = actions_search_document(a.id, a.reference, a.area, a.text, a.owner_party)
    WHERE a.id = changed;
    IF TG_OP = 'UPDATE' AND OLD.action_id <> NEW.action_id THEN
        UPDATE actions_action a
        SET search_vector = actions_search_document(
            a.id, a.reference, a.area, a.text, a.owner_party)
        WHERE a.id = OLD.action_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER actions_action_search
BEFORE INSERT OR UPDATE OF reference, area, text, owner_party ON actions_action
FOR EACH ROW EXECUTE FUNCTION actions_action_search_trigger();

CREATE TRIGGER actions_update_search
AFTER INSERT OR DELETE OR UPDATE OF text, action_id ON actions_actionupdate
FOR EACH ROW EXECUTE FUNCTION actions_update_search_trigger();

UPDATE actions_action a
SET search_vector = actions_search_document(a.id, a.reference, a.area, a.text, a.owner_party);

CREATE INDEX action_search_vector ON actions_action USING gin (search_vector);
"""

DROP_SEARCH = """
DROP INDEX IF EXISTS action_search_vector;
DROP TRIGGER IF EXISTS actions_update_search ON actions_actionupdate;
DROP TRIGGER IF EXISTS actions_action_search ON actions_action;
DROP FUNCTION IF EXISTS actions_update_search_trigger();
DROP FUNCTION IF EXISTS actions_action_search_trigger();
DROP FUNCTION IF EXISTS actions_search_document(bigint, text, text, text, text);
"""


def fill_sort_keys(apps, schema_editor):
    from actions.models import natural_sort_key

    Action = apps.get_model("actions", "Action")
    actions = list(Action.objects.only("pk", "reference"))
    for action in actions:
        action.sort_key = natural_sort_key(action.reference)
    Action.objects.bulk_update(actions, ["sort_key"], batch_size=1000)


def postgresql_only(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="action",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="action",
            name="sort_key",
            field=models.CharField(default="", editable=False, max_length=200),
        ),
        migrations.RunPython(fill_sort_keys, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="action",
            index=models.Index(fields=["sort_key"], name="action_sort_key"),
        ),
        migrations.AddIndex(
            model_name="action",
            index=models.Index(
                condition=models.Q(("status", "closed"), _negated=True),
                fields=["sort_key", "group"],
                name="action_open_sort_key",
            ),
        ),
        migrations.RunPython(postgresql_only(SEARCH_DOCUMENT), postgresql_only(DROP_SEARCH)),
    ]
