"""Secrets in addresses never reach a log: a calendar feed's address
(/calendar/<id>/<token>.ics) is logged with its token replaced by "[secret]", by the Django
log handlers (RedactSecrets, in settings.LOGGING) and by gunicorn's access log
(GunicornLogger, `--logger-class mhhs_gov.log_redaction.GunicornLogger`). So is a personal
API token (mhhs_...): the API reads it from a header only, but a client that puts one in an
address by mistake does not get it written to a log."""

import logging
import re

from django.conf import settings
from django.views.debug import SafeExceptionReporterFilter
from gunicorn.glogging import Logger

SECRET_IN_ADDRESS = re.compile(r"(/calendar/\d+/)[^/\s\"'?#]+")
API_TOKEN = re.compile(r"\bmhhs_[A-Za-z0-9_-]{8,}")


def redact(text):
    if not isinstance(text, str):
        return text
    return API_TOKEN.sub("mhhs_[secret]", SECRET_IN_ADDRESS.sub(r"\1[secret]", text))


class RedactSecrets(logging.Filter):
    """Rewrites a record whose message holds a secret address."""

    def filter(self, record):
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


class GunicornLogger(Logger):
    """gunicorn's logger with the request line, path, query and referrer of each access
    line redacted."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact(value) for key, value in atoms.items()}


class SecretsReporterFilter(SafeExceptionReporterFilter):
    """Django's error page (DEBUG) and error reports already hide the settings named like a
    secret (KEY, SECRET, TOKEN...), also inside dictionaries such as STORAGES' options.
    This also hides, in the traceback's frames, the variables named so (and such keys in
    the dictionaries they hold) and any variable that shows the S3 keys of STORAGES: they
    pass through django-storages' options, boto3's arguments and the signed request's
    headers, which a traceback through the storage would otherwise show."""

    def get_traceback_frame_variables(self, request, tb_frame):
        keys = _storage_keys()
        return [
            (name, self._cleanse_variable(name, value, keys))
            for name, value in super().get_traceback_frame_variables(request, tb_frame)
        ]

    def _cleanse_variable(self, name, value, keys):
        value = self.cleanse_setting(name, value)
        try:
            shown = repr(value)
        except Exception:  # the page shows such a value as an error: nothing of it
            return value
        return self.cleansed_substitute if any(key in shown for key in keys) else value


def _storage_keys() -> set[str]:
    """The access and secret keys of the S3 stores in settings.STORAGES."""
    keys = set()
    for entry in settings.STORAGES.values():
        options = entry.get("OPTIONS", {})
        keys |= {options.get("access_key"), options.get("secret_key")}
    return {key for key in keys if key}
