"""Stored files (rendered documents, uploaded papers) read and written through Django's
storage API, whichever store settings.STORAGES names: the filesystem or an S3 object store
(mhhs_gov/file_storage.py).

- `store_unavailable(exc)` tells a store that could not be reached or refused to work (a
  network error, a timeout, an S3 error other than a missing file, a full disk) from a
  missing file; `StoreUnavailable` is what the app raises for it, with the message users
  see. The middleware (mhhs_gov/middleware.py) answers it, or an S3 error of the kind
  (`store_down`), with a 503 page wherever it is raised; the render task retries.
- `download(field_file, filename=...)` streams a stored file to the user after the view's
  permission check: from S3 in chunks straight from the store's response, so a large
  paper never sits whole in a web worker's memory and the store need not be reachable
  from the users' network. The store is asked before the response starts, so a store
  that is down gives the error page, not a truncated file.
"""

import logging
from contextlib import contextmanager

from botocore.exceptions import BotoCoreError, ClientError
from django.http import FileResponse, Http404

logger = logging.getLogger(__name__)

# S3 answers for a key (or a version) that is not there; anything else is the store's fault.
MISSING = {"404", "NoSuchKey", "NotFound", "NoSuchVersion"}


class StoreUnavailable(Exception):
    """The file store could not be reached or refused to work."""

    message = (
        "The document store is not answering, so the file could not be read or saved. "
        "Nothing was lost: try again in a few minutes."
    )

    def __init__(self, message=None):
        super().__init__(message or self.message)


def store_unavailable(exc: BaseException) -> bool:
    """Whether `exc` says the store could not be reached or refused to work (not that a
    file is missing, which is FileNotFoundError or an S3 404)."""
    if isinstance(exc, StoreUnavailable | BotoCoreError):
        return True
    if isinstance(exc, ClientError):
        return exc.response.get("Error", {}).get("Code") not in MISSING
    return isinstance(exc, OSError) and not isinstance(exc, FileNotFoundError)


def store_down(exc: BaseException) -> bool:
    """Whether `exc`, raised anywhere, says the store is down: StoreUnavailable, or the S3
    client's own error for it. A bare OSError is not taken for one here: outside a storage
    call it could be anything's (a mail server's refused connection)."""
    return isinstance(exc, StoreUnavailable | BotoCoreError | ClientError) and store_unavailable(
        exc
    )


@contextmanager
def store_errors():
    """Turn the store's own errors into StoreUnavailable, logged with their kind and text
    (the operation and the store's address, never its keys); the user sees only the
    message of StoreUnavailable."""
    try:
        yield
    except Exception as exc:
        if not store_unavailable(exc) or isinstance(exc, StoreUnavailable):
            raise
        logger.warning("File store unavailable: %s: %s", type(exc).__name__, exc)
        raise StoreUnavailable() from exc


def _stream(storage, name):
    """(file-like object, size) of the stored file, read in chunks as it is sent."""
    from storages.backends.s3 import S3File

    handle = storage.open(name, "rb")  # S3: asks for the object's head, so fails here
    if isinstance(handle, S3File):
        # The object's body as the store sends it; S3File itself would first copy the
        # whole object into memory or a temporary file.
        return handle.obj.get()["Body"], handle.obj.content_length
    return handle, handle.size


def download(field_file, *, filename: str, content_type: str | None = None) -> FileResponse:
    """The stored file as an attachment named `filename`, for a user the caller checked.
    A missing file is a 404; a store that is down raises StoreUnavailable (503 page)."""
    try:
        with store_errors():
            body, size = _stream(field_file.storage, field_file.name)
    except FileNotFoundError:
        raise Http404("The file of this record is missing from the store.") from None
    except ClientError as exc:  # an S3 404: store_errors() let it through
        raise Http404("The file of this record is missing from the store.") from exc
    response = FileResponse(body, as_attachment=True, filename=filename, content_type=content_type)
    response["Content-Length"] = size
    return response
