"""Handing out numbers that are never given twice: references (DAG29-01, DAG-DEC76, CR043,
R12) and document versions, through one allocator.

Each kind of number has a scope ("actions of DAG29", "decisions of DAG", "versions of this
document"). allocate() takes a transaction-level lock on the kind and scope, then reads the
numbers in use; the caller saves the new record before the transaction commits, so a second
allocator of the same scope waits and then sees the first one's row. Hand-written and
imported references (DES-03-04, DAG-DEC-29) are stored as written; numbers are read only
from references made of the prefix and digits.
"""

import re
import zlib

from django.db import connection, transaction


def lock_scope(scope: str) -> None:
    """Serialise the work of one scope until the current transaction ends."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_scope() must be called inside transaction.atomic().")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # crc32 gives a stable 32-bit key; two scopes sharing a key only wait for each other.
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(scope.encode())])
    # SQLite (the quick start) allows one writer at a time, which serialises for us.


def allocate(*, kind: str, scope: str, in_use, prefix: str | None = None) -> int:
    """The next number of `kind` in `scope`, the scope locked until the transaction ends.

    `in_use`: a lazy queryset (values_list(..., flat=True)) of the scope's numbers, read
    only once the lock is held. With `prefix` they are references: only those made of the
    prefix and digits count (DAG-DEC-29 written by hand is not number 29 of "DAG-DEC").
    """
    lock_scope(f"{kind}:{scope}")
    if prefix is None:
        numbers = list(in_use)
    else:
        pattern = re.compile(re.escape(prefix) + r"([0-9]+)")
        numbers = [int(match[1]) for ref in in_use if (match := pattern.fullmatch(ref))]
    return max(numbers, default=0) + 1


def reference_sort_key(reference: str):
    """DAG29-2 before DAG29-10, DAG-DEC9 before DAG-DEC10."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", reference)]
