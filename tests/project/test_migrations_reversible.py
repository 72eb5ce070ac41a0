"""Every migration of ours can be unapplied: each operation has its reverse (a RunPython
its reverse_code, a RunSQL its reverse_sql). The upgrade test no longer unapplies every
later migration on its way to the old layout, so this checks it without a database."""

from django.db.migrations.loader import MigrationLoader

OURS = {
    "actions", "api", "changerequests", "core", "decisions", "documents",
    "meetings", "notifications", "people", "raid",
}  # fmt: skip


def test_every_migration_of_ours_is_reversible():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    irreversible = [
        f"{app}.{name}: {operation.describe()}"
        for (app, name), migration in loader.disk_migrations.items()
        if app in OURS
        for operation in migration.operations
        if not operation.reversible
    ]
    assert not irreversible, "\n".join(irreversible)
