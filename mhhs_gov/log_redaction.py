"""Secrets in addresses never reach a log: a calendar feed's address
(/calendar/<id>/<token>.ics) is logged with its token replaced by "[secret]", by the Django
log handlers (RedactSecrets, in settings.LOGGING) and by gunicorn's access log
(GunicornLogger, `--logger-class mhhs_gov.log_redaction.GunicornLogger`). So is a personal
API token (mhhs_...): the API reads it from a header only, but a client that puts one in an
address by mistake does not get it written to a log."""

import logging
import re

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
