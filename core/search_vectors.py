"""Stored search vectors kept by PostgreSQL triggers, for the search across everything
(meetings/search.py): a model's `search_vector` column holds
to_tsvector('english', its fields joined by spaces), the same document Django's
SearchVector(*fields, config="english") computes, so ranking reads the stored vector
instead of computing one for every match.

A trigger rather than Python, so that every way of writing the row (services, the admin,
bulk loads, data migrations) keeps it right. SQLite (the quick start) has no tsvector: the
column stays empty and the search falls back to plain matching.
"""


def _names(table):
    return f"{table}_search_vector", f"{table}_search_trigger", f"{table}_search_vector_gin"


def add_stored_vector(table, fields):
    """A RunPython function: the trigger function and trigger keeping `table`'s
    search_vector from `fields`, the vectors of the rows already there, and a GIN index."""
    document = " || ' ' || ".join(f"COALESCE(NEW.{field}::text, '')" for field in fields)
    function, trigger, index = _names(table)
    columns = ", ".join(fields)

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN NEW.search_vector := to_tsvector('english'::regconfig, {document}); "
            "RETURN NEW; END $$"
        )
        schema_editor.execute(
            f"CREATE TRIGGER {trigger} BEFORE INSERT OR UPDATE OF {columns} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}()"
        )
        schema_editor.execute(fill_statement(table, fields))
        schema_editor.execute(f"CREATE INDEX {index} ON {table} USING gin (search_vector)")

    return forwards


def fill_statement(table, fields):
    """The SQL writing every row's vector at once (after writing rows with triggers off)."""
    existing = " || ' ' || ".join(f"COALESCE({field}::text, '')" for field in fields)
    return f"UPDATE {table} SET search_vector = to_tsvector('english'::regconfig, {existing})"


def remove_stored_vector(table):
    function, trigger, index = _names(table)

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {function}()")

    return backwards
