"""Production settings: Django's deployment checklist and the README's table of variables."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

BASE_DIR = Path(__file__).resolve().parents[2]


def test_check_deploy_reports_no_issues(tmp_path):
    """`manage.py check --deploy` with a production environment: DEBUG unset, real secret."""
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "mhhs_gov.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "governance.example.org",
        "SITE_URL": "https://governance.example.org",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/mhhs",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


def test_readme_documents_every_environment_variable():
    """Each variable settings.py reads has a row in the README's table."""
    source = (BASE_DIR / "mhhs_gov" / "settings.py").read_text()
    read = set(re.findall(r'(?:environ\.get|env_bool|env_list)\(\s*"([A-Z0-9_]+)"', source))
    readme = (BASE_DIR / "README.md").read_text()
    documented = set(re.findall(r"^\| `([A-Z0-9_]+)`", readme, flags=re.MULTILINE))
    assert read, "no variables found: has settings.py stopped using os.environ.get/env_bool?"
    assert read <= documented, f"missing from README.md: {sorted(read - documented)}"


def compose_defaults() -> dict[str, str]:
    """The app's environment in docker-compose.yml with nothing set in .env: each
    ${NAME:-default} as its default, the required SECRET_KEY a fresh secret."""
    compose = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
    env = {}
    for name, value in compose["x-app"]["environment"].items():
        if name == "SECRET_KEY":
            env[name] = secrets.token_urlsafe(50)
            continue
        env[name] = re.sub(r"\$\{[A-Z0-9_]+:-([^}]*)\}", r"\1", str(value))
    return env


def run_settings(env, tmp_path, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "mhhs_gov.settings",
            "VAR_DIR": str(tmp_path),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_docker_compose_defaults_pass_check_deploy(tmp_path):
    """`docker compose up` with only SECRET_KEY in .env is a deployment with no warning."""
    env = compose_defaults()
    assert "DEBUG" not in env
    result = run_settings(env, tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


PRINT_PROXY_HEADER = (
    "from django.conf import settings; print(getattr(settings, 'SECURE_PROXY_SSL_HEADER', None))"
)


@pytest.mark.parametrize(
    ("behind_proxy", "header"),
    [("", "None"), ("0", "None"), ("1", "('HTTP_X_FORWARDED_PROTO', 'https')")],
    ids=["unset", "off", "on"],
)
def test_proxy_ssl_header_is_trusted_only_behind_a_proxy(tmp_path, behind_proxy, header):
    """Without a proxy in front, a client's own X-Forwarded-Proto: https must not make a
    plain http request count as secure."""
    env = {"SECRET_KEY": secrets.token_urlsafe(50), "BEHIND_TLS_PROXY": behind_proxy}
    result = run_settings(env, tmp_path, "shell", "-c", PRINT_PROXY_HEADER)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == header
