"""The API fuzzed against its own OpenAPI schema: schemathesis sends generated requests to
every operation of /api/schema/ on a live server, as the DAG's secretariat and as its
observer, and no request may give a server error or a response the schema does not
describe. A modest number of examples per operation here; scripts/api_fuzz.py runs longer
(figures in docs/benchmarks.md)."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.api.conftest import token_client
from tests.factories import DecisionFactory, make_action, make_meeting

SCHEMATHESIS = str(Path(sys.executable).with_name("schemathesis"))


def fuzz(url, token, folder):
    """One schemathesis run as the token's user: every operation, two examples each."""
    return subprocess.run(
        [
            SCHEMATHESIS,
            "--no-color",
            "run",
            f"{url}/api/schema/?format=json",
            "--header",
            f"Authorization: Bearer {token}",
            "--checks",
            "not_a_server_error,response_schema_conformance",
            "--phases",
            "fuzzing",
            "--max-examples",
            "2",
            "--seed",
            "1",
            "--workers",
            "1",
            "--generation-database",
            "none",
        ],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_the_api_matches_its_schema_under_fuzzing(
    live_server, settings, transactional_db, secretariat, observer, dag, tmp_path
):
    settings.API_RATE = "1000000/hour"  # hundreds of requests from one token
    meeting = make_meeting(group=dag, number=29)
    meeting.agenda_items.create(number="1", title="Welcome")
    make_action(meeting=meeting)
    DecisionFactory(group=dag)
    for user in (secretariat, observer):
        run = fuzz(live_server.url, token_client(user).token, tmp_path)
        assert run.returncode == 0, run.stdout[-8000:] + run.stderr[-2000:]
        assert "passed" in run.stdout
