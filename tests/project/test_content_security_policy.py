"""The Content Security Policy: every page carries a strict one (no inline script or style,
no eval), and no template a browser is served holds inline code the policy would block.

The browser side (no violation on any page in Chromium) is tests/e2e/test_csp_e2e.py.
"""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Rendered by WeasyPrint into PDFs or sent as email, never served as a web page.
NOT_WEB_PAGES = ("documents/", "notifications/email/")


def policy_of(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    directives = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [False, True], ids=["login-page", "home"])
def test_every_page_carries_a_strict_policy(client, secretariat, signed_in):
    if signed_in:
        client.force_login(secretariat)
    response = client.get("/" if signed_in else "/accounts/login/")
    assert response.status_code == 200
    assert "Content-Security-Policy-Report-Only" not in response.headers  # enforced, not reported
    policy = policy_of(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    everything = " ".join(value for values in policy.values() for value in values)
    for loophole in ("'unsafe-inline'", "'unsafe-eval'", "'nonce-", "data:", "*", "http:"):
        assert loophole not in everything


def test_htmx_is_told_to_run_without_eval_or_inline_styles():
    """htmx injects a <style> for its indicators and evaluates hx-on unless told not to."""
    base = (TEMPLATES / "base.html").read_text()
    config = re.search(r'<meta name="htmx-config" content=\'([^\']*)\'>', base)
    assert config, "base.html has no htmx-config meta tag"
    assert '"allowEval": false' in config[1]
    assert '"includeIndicatorStyles": false' in config[1]


INLINE_CODE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE), "an inline <script>"),
    (re.compile(r"<style\b", re.IGNORECASE), "a <style> block"),
    (re.compile(r"\sstyle\s*=", re.IGNORECASE), 'a style="" attribute'),
    (re.compile(r"\son[a-z]+\s*=", re.IGNORECASE), "an inline event handler"),
    (re.compile(r"\shx-on", re.IGNORECASE), "an hx-on handler (needs eval)"),
    (re.compile(r"javascript:", re.IGNORECASE), "a javascript: URL"),
    (re.compile(r"\bjs:", re.IGNORECASE), "an htmx js: value (needs eval)"),
]


def test_no_web_page_template_holds_inline_code():
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        if name.startswith(NOT_WEB_PAGES):
            continue
        text = path.read_text()
        for pattern, what in INLINE_CODE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{name}:{line}: {what}")
    assert not found, "\n".join(found)
