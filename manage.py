#!/usr/bin/env python3
"""Django's command-line utility for administrative tasks.

`./manage.py <command>` works in a fresh shell once `./scripts/run.sh` (or `make demo`) has
run: it re-runs itself with the project's `.venv` Python when started with another one, and
takes the quick start's environment from `var/quickstart.env`, which `scripts/dev-env.sh`
writes. Variables already set in the environment win, and without that file (a deployment,
the Docker image) nothing is added.
"""

import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
VENV_PYTHON = BASE_DIR / ".venv" / "bin" / "python"


def use_project_venv():
    """Re-run this command with .venv's Python when another one started it."""
    if not VENV_PYTHON.exists():
        return
    if Path(sys.prefix).resolve() == VENV_PYTHON.parent.parent.resolve():
        return
    os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), str(Path(__file__).resolve()), *sys.argv[1:]])


def load_quickstart_env():
    """Add the quick start's variables (DEBUG=1, mail as files) when run.sh left them."""
    var_dir = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
    env_file = var_dir / "quickstart.env"
    if not env_file.exists():
        return
    for line in env_file.read_text(encoding="utf-8").splitlines():
        name, sep, value = line.partition("=")
        if sep and name.strip() and not name.lstrip().startswith("#"):
            os.environ.setdefault(name.strip(), value.strip())


def main():
    use_project_venv()
    load_quickstart_env()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mhhs_gov.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
