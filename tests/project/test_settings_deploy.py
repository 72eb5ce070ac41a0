"""Production settings: Django's deployment checklist and the README's table of variables."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

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
