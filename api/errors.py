"""Errors as JSON: {"field": ["message", ...]} for bad input (fields the request did not name
under "non_field_errors"), {"detail": "..."} for the rest, with the status the pages would
have answered (400, 403, 404, 412, 428...)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

from core.versions import StaleRecord

NON_FIELD = "non_field_errors"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = (
        "The record changed since you read it (its ETag is not the one sent in If-Match). "
        "Read it again, then send your change with its new ETag."
    )
    default_code = "precondition_failed"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = (
        "Send If-Match with the record's ETag (from a GET of it), so that a change made "
        "meanwhile by someone else is never overwritten."
    )
    default_code = "precondition_required"


def field_errors(error: DjangoValidationError, fields=()) -> dict:
    """A Django ValidationError (a form's, a model's, a service's) as {field: [messages]};
    errors of fields the request does not have go under non_field_errors."""
    if not hasattr(error, "error_dict"):
        return {NON_FIELD: error.messages}
    errors = {}
    for name, messages in error.message_dict.items():
        key = name if name in fields else NON_FIELD
        errors.setdefault(key, []).extend(messages)
    return errors


def form_errors(form) -> dict:
    """A bound Django form's errors as {field: [messages]}."""
    errors = {}
    for name, messages in form.errors.items():
        key = NON_FIELD if name == "__all__" else name
        errors.setdefault(key, []).extend(messages)
    return errors


def exception_handler(exc, context):
    if isinstance(exc, StaleRecord):
        exc = PreconditionFailed()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(field_errors(exc))
    return drf_exception_handler(exc, context)
