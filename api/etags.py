"""ETag and If-Match: the API's stale check, the same as the edit pages'. A record's ETag is
its version (core/versions.py: the id of its latest history row), so a change saved through
a page moves the ETag on, and an API change moves the version a page was opened at on.

A PATCH must send If-Match with the ETag read: without one it is refused (428), and with an
old one (412), saving nothing; the service then locks the row and compares again, so of two
changes sent with one ETag exactly one wins."""

from core.versions import record_version

from .errors import PreconditionFailed, PreconditionRequired


def etag_of(version: int) -> str:
    return f'"{version}"'


def with_etag(response, record):
    response["ETag"] = etag_of(record_version(record))
    return response


def matched_version(request, record) -> int:
    """The version the client read, from If-Match, if it is still the record's: else 428
    (no If-Match) or 412 (another version, or an ETag that is not one of ours)."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequired()
    current = record_version(record)
    sent = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    # "*" (any version) is not taken: it would overwrite blind, which the pages never do.
    if etag_of(current) in sent:
        return current
    raise PreconditionFailed()
