"""Handing out references (DAG29-01, DAG-DEC76, CR043) that are never given twice.

Each kind of reference has a scope ("actions of DAG029", "decisions of DAG", "change
requests"). Allocation takes a transaction-level lock on the scope, reads the highest
number in use and saves the new record before the transaction commits, so a second
allocator of the same scope waits and then sees the first one's row. Hand-written and
imported references (DES-03-04, DAG-DEC-29) are stored as written; numbers are read
only from references that follow the scope's pattern.
"""

import re
import zlib

from django.db import connection, transaction


def lock_scope(scope: str) -> None:
    """Serialise allocations of one scope until the current transaction ends."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_scope() must be called inside transaction.atomic().")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # crc32 gives a stable 32-bit key; two scopes sharing a key only wait for each other.
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(scope.encode())])
    # SQLite (the quick start) allows one writer at a time, which serialises for us.


def next_number(existing_references, pattern: re.Pattern) -> int:
    """1 + the highest number captured by pattern's "n" group among the references."""
    numbers = [int(m["n"]) for ref in existing_references if (m := pattern.fullmatch(ref))]
    return max(numbers, default=0) + 1


def reference_sort_key(reference: str):
    """DAG29-2 before DAG29-10, DAG-DEC9 before DAG-DEC10."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", reference)]
