"""`manage.py move_files --to s3` (or `--to local`): move the stored files (rendered
documents, source papers) between the filesystem under MEDIA_ROOT and the S3 object store,
before or after switching S3_BUCKET on or off.

Each file keeps its name, so the records need no change: the switch is the setting alone.
Resumable: a file already at the target with the same size and SHA-256 is skipped, and
one that differs (a copy an interrupted run left half written) is written again. Every
copy is read back and checked (size and SHA-256) before it counts; only then, and only
with --delete-source, is the original removed. A file that fails is reported and the
command ends in an error after trying the rest: running it again picks up where it
failed. Safe while the site runs, as long as the setting is switched after it finishes
(files stored meanwhile in the old store are copied by running it once more).
"""

import hashlib

from django.conf import settings
from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError

from core.storage import store_unavailable

CHUNK = 1024 * 1024


def stored_names(storage, folder=""):
    """Every file's name under `folder` of the storage, walking its folders."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # no MEDIA_ROOT yet: nothing stored
        return
    prefix = f"{folder}/" if folder else ""
    for name in sorted(files):
        yield prefix + name
    for sub in sorted(folders):
        yield from stored_names(storage, prefix + sub)


def fingerprint(storage, name) -> tuple[int, str]:
    """(size, SHA-256) of the stored file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with storage.open(name, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


class CopyFailed(Exception):
    pass


def copy(source, target, name) -> bool:
    """Copy `name` unless the target holds it already, verified; False when skipped."""
    wanted = fingerprint(source, name)
    if target.exists(name):
        if target.size(name) == wanted[0] and fingerprint(target, name) == wanted:
            return False
        target.delete(name)  # a different or half-written copy of an earlier run
    with source.open(name, "rb") as handle:
        saved = target.save(name, handle)
    if saved != name:  # the target renamed it: the record would not find it
        target.delete(saved)
        raise CopyFailed(f"the target stored it as {saved}")
    if fingerprint(target, name) != wanted:
        target.delete(name)
        raise CopyFailed("the copy read back differs (size or SHA-256)")
    return True


class Command(BaseCommand):
    help = (
        "Move the stored files (documents, papers) from the filesystem to the S3 object "
        "store (--to s3) or back (--to local); resumable, each copy verified."
    )

    def add_arguments(self, parser):
        parser.add_argument("--to", choices=["s3", "local"], required=True)
        parser.add_argument(
            "--delete-source",
            action="store_true",
            help="Remove each file from the store it came from once its copy is verified.",
        )

    def handle(self, *args, to, delete_source=False, **options):
        if "s3" not in settings.STORAGES:
            raise CommandError(
                "No object store is configured: set S3_BUCKET (with S3_ENDPOINT_URL and the "
                "keys, as the README says) for this command."
            )
        source = storages["local" if to == "s3" else "s3"]
        target = storages[to]
        copied = skipped = 0
        failed = []
        for name in stored_names(source):
            try:
                if copy(source, target, name):
                    copied += 1
                else:
                    skipped += 1
                if delete_source:
                    source.delete(name)
            except CopyFailed as exc:
                failed.append(f"{name}: {exc}")
            except Exception as exc:
                if not store_unavailable(exc):
                    raise
                # The store's error names the operation and the address, never the keys.
                failed.append(f"{name}: {type(exc).__name__}: {exc}")
        verb = "moved" if delete_source else "copied"
        self.stdout.write(
            f"{copied} file(s) {verb} to {to}, {skipped} already there, {len(failed)} failed."
        )
        if failed:
            raise CommandError(
                "Not moved (run the command again to retry them):\n" + "\n".join(failed)
            )
