"""The page list of manage.py benchmark is found from the URL names (the API's list
endpoints and the public minutes among them, the sign-in library's pages not), and each
run replaces its own section of docs/benchmarks.md. The benchmark itself runs at a
programme's scale, outside the suite."""

from meetings.benchmark_pages import list_cases
from meetings.management.commands.benchmark import SECTION, _write_section


def test_the_list_pages_are_found_from_the_url_names():
    urls = {case.urls[0] for case in list_cases()}
    for page in ("/actions/", "/decisions/", "/raid/", "/change-requests/", "/meetings/"):
        assert page in urls
    assert "/groups/" in urls and "/decisions/queue/" in urls and "/email/" in urls
    # Not pages of records: exports, forms to create, logging out.
    assert not [url for url in urls if "export" in url or url.endswith("/new/")]
    assert "/accounts/logout/" not in urls
    # Every API list endpoint, and the public minutes.
    for endpoint in ("groups", "people", "meetings", "actions", "decisions", "raid"):
        assert f"/api/{endpoint}/" in urls
    assert "/api/change-requests/" in urls and "/api/documents/" in urls
    assert "/public/minutes/" in urls
    # Not pages of records either: the sign-in library's account pages, a POST-only form.
    assert not [url for url in urls if url.startswith("/accounts/")]
    assert "/email/send-digest/" not in urls


def test_a_run_replaces_the_previous_runs_section(tmp_path):
    path = tmp_path / "benchmarks.md"
    path.write_text("# Benchmarks\n\n## Reminders\n\nold figures\n")
    _write_section(path, f"{SECTION}\n\nfirst run\n")
    _write_section(path, f"{SECTION}\n\nsecond run\n")
    text = path.read_text()
    assert text.count(SECTION) == 1 and "second run" in text and "first run" not in text
    assert "old figures" in text
    path.write_text(text + "\n## Later section\n\nkept\n")
    _write_section(path, f"{SECTION}\n\nthird run\n")
    assert "kept" in path.read_text() and "second run" not in path.read_text()
    assert "third run\n\n## Later section" in path.read_text()  # Markdown needs the blank line
