"""README: after the first command (scripts/run.sh, which sources scripts/dev-env.sh), every
`./manage.py ...` command works as written in a fresh shell, with no script sourced first.

The shell here is as bare as a new terminal: PATH and HOME only (plus VAR_DIR, so the test
works on its own folder), and the first python3 on PATH, not the project's venv."""

import os
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # migrates a SQLite database in subprocesses

BASE_DIR = Path(__file__).resolve().parents[2]


def fresh_shell(var_dir):
    home = os.environ["HOME"]
    return {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": home, "VAR_DIR": str(var_dir)}


def shell(command, env):
    return subprocess.run(
        ["bash", "-c", command], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=300
    )


def test_readme_names_its_two_commands_run_and_test():
    readme = (BASE_DIR / "README.md").read_text()
    assert "./scripts/run.sh" in readme and "./scripts/test.sh" in readme
    assert 'two commands: "run" and "test"' in readme


def test_manage_commands_work_in_a_fresh_shell_after_the_first_command(tmp_path):
    # What scripts/run.sh does before serving: the quick start's environment, written to var/.
    first = shell(". scripts/dev-env.sh", fresh_shell(tmp_path))
    assert first.returncode == 0, first.stderr
    assert (tmp_path / "quickstart.env").exists()

    # A new terminal: nothing sourced, no DEBUG, no SECRET_KEY.
    for command in ("./manage.py migrate --noinput", "./manage.py send_reminders --here"):
        result = shell(command, fresh_shell(tmp_path))
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    assert (tmp_path / "db.sqlite3").exists()


def test_without_the_quickstart_file_settings_still_demand_a_secret_key(tmp_path):
    """A deployment (no var/quickstart.env) is never put in DEBUG by manage.py."""
    result = shell("./manage.py check", fresh_shell(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
