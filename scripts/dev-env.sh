# Environment for running on this machine with no servers, sourced by scripts/run.sh and the
# Makefile. DEBUG=1 gives SQLite in var/ and, with REDIS_URL unset, a filesystem Celery broker;
# mail is written as files to var/mail instead of going to an SMTP server.
# Anything already set in the environment wins.
export DEBUG="${DEBUG:-1}"
export EMAIL_BACKEND="${EMAIL_BACKEND:-django.core.mail.backends.filebased.EmailBackend}"
# The same values for `./manage.py ...` typed later in a fresh shell: manage.py reads this file
# (variables set in that shell still win).
_quickstart_var="${VAR_DIR:-var}"  # sourced from the project folder (run.sh, the Makefile)
mkdir -p "$_quickstart_var"
printf '# Written by scripts/dev-env.sh: the quick start environment, read by manage.py.\nDEBUG=%s\nEMAIL_BACKEND=%s\n' \
    "$DEBUG" "$EMAIL_BACKEND" >"$_quickstart_var/quickstart.env"
unset _quickstart_var
