"""Run the test OpenID provider: `python -m tests.oidc_provider.serve CONFIG_JSON`.

CONFIG_JSON: {"users": [{"username", "password", "email"}], "clients": [{"client_id",
"secret", "name", "redirect_uri"}]}. Migrates a fresh SQLite database, makes the users and
the clients (confidential, authorization code, RS256, no consent page), then serves on a
free loopback port, printing "listening <port>" once it answers."""

import json
import os
import sys
import tempfile
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


def main():
    config = json.loads(sys.argv[1])
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    os.environ.setdefault("OIDC_PROVIDER_DB", os.path.join(tempfile.mkdtemp(), "idp.sqlite3"))
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    for user in config["users"]:
        User.objects.create_user(user["username"], user["email"], user["password"])
    for client in config["clients"]:
        Application.objects.create(
            name=client["name"],
            client_id=client["client_id"],
            client_secret=client["secret"],
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris=client["redirect_uri"],
            algorithm=Application.RS256_ALGORITHM,
            skip_authorization=True,
        )
    server = make_server(
        "127.0.0.1", 0, get_wsgi_application(), ThreadingServer, handler_class=QuietHandler
    )
    print(f"listening {server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
