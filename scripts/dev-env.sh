# Environment for running on this machine with no servers, sourced by scripts/run.sh and the
# Makefile. DEBUG=1 gives SQLite in var/ and, with REDIS_URL unset, a filesystem Celery broker;
# mail is written as files to var/mail instead of going to an SMTP server.
# Anything already set in the environment wins.
export DEBUG="${DEBUG:-1}"
export EMAIL_BACKEND="${EMAIL_BACKEND:-django.core.mail.backends.filebased.EmailBackend}"
