"""`manage.py move_files`: the stored files moved from the filesystem to a real S3 server
(SeaweedFS) and back, each copy verified, resumable after a failure, and the records
finding their files in the new store under the same names."""

from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command

from tests.factories import make_meeting
from tests.s3_server import free_ports

PAPER = b"Design Advisory Group #4\n" * 100
FILES = {
    "documents/2024/03/DAG004-Minutes-and-Actions-v1.pdf": b"%PDF-1.7 minutes",
    "documents/2024/03/DAG004-Headline-Report-v1.pdf": b"%PDF-1.7 headline",
    "papers/2022/02/DAG004_slides.txt": PAPER,
}


def move(*args):
    out = StringIO()
    call_command("move_files", *args, stdout=out)
    return out.getvalue().strip()


def contents(storage):
    from core.management.commands.move_files import stored_names

    return {name: storage.open(name).read() for name in stored_names(storage)}


def test_without_an_object_store_the_command_says_what_to_set(settings, tmp_path):
    settings.STORAGES = {k: v for k, v in settings.STORAGES.items() if k != "s3"}
    with pytest.raises(CommandError, match="set S3_BUCKET"):
        move("--to", "s3")


@pytest.mark.slow
@pytest.mark.django_db
def test_files_move_to_s3_resumably_verified_and_back(settings, tmp_path, s3_server, s3_storage):
    settings.MEDIA_ROOT = tmp_path
    local = storages["local"]
    for name, data in FILES.items():
        assert local.save(name, ContentFile(data)) == name
    meeting = make_meeting(source_file="papers/2022/02/DAG004_slides.txt")

    # The store is down: every file fails, nothing is lost.
    (port,) = free_ports(1)
    up = settings.STORAGES["s3"]
    down = s3_server.storage(s3_storage, endpoint_url=f"http://127.0.0.1:{port}")
    settings.STORAGES = {**settings.STORAGES, "s3": down}
    with pytest.raises(CommandError) as failed:
        move("--to", "s3", "--delete-source")
    assert str(failed.value).count("EndpointConnectionError") == 3
    assert contents(local) == FILES

    # An earlier run got one file across and left another half written.
    settings.STORAGES = {**settings.STORAGES, "s3": up}
    s3 = storages["s3"]
    minutes, headline = list(FILES)[:2]
    s3.save(minutes, ContentFile(FILES[minutes]))
    s3.save(headline, ContentFile(b"%PDF-1.7 hea"))
    assert move("--to", "s3") == "2 file(s) copied to s3, 1 already there, 0 failed."
    assert contents(s3) == FILES and contents(local) == FILES
    assert move("--to", "s3") == "0 file(s) copied to s3, 3 already there, 0 failed."

    # Switched to S3 (the default is the object store): the record reads its file there.
    local.delete("papers/2022/02/DAG004_slides.txt")
    meeting.refresh_from_db()
    assert meeting.source_file.read() == PAPER

    # And back (the paper was removed from disk), each file removed from the object
    # store once its copy is verified.
    assert move("--to", "local", "--delete-source") == (
        "1 file(s) moved to local, 2 already there, 0 failed."
    )
    assert contents(local) == FILES and s3_server.keys(s3_storage) == []
