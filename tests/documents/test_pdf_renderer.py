"""The renderer process: a document laid out in a child of a process holding WeasyPrint
alone, within its memory and time limits, and a new renderer after one that overran."""

import pytest

from documents import pdf_renderer
from documents.pdf_renderer import Renderer, RenderTimeout, renderer

ROWS = "".join(
    f"<tr><td>DAG29-{n:04d}</td><td>{'Programme to report ' * 8}</td></tr>" for n in range(3000)
)
LONG = f'<html lang="en-GB"><title>Long</title><table>{ROWS}</table></html>'
SHORT = '<html lang="en-GB"><title>Short</title><p>The Chair welcomed attendees.</p></html>'


def test_a_document_comes_back_as_pdf_laid_out_in_a_child_of_the_renderer():
    rendered = renderer.render(SHORT)
    assert rendered.pdf.startswith(b"%PDF-") and rendered.pages == 1
    assert rendered.cpu_seconds > 0 and rendered.peak_rss_kb > 0
    # The renderer holds WeasyPrint, not Django and the apps: far smaller than this process.
    assert renderer.idle_rss_kb < 100 * 1024


def test_starting_does_not_wait_for_the_warm_up_and_the_first_document_does():
    """A Celery worker process must report ready within 4 s of its fork."""
    own = Renderer()
    try:
        own.start()
        assert own.warming and own.idle_rss_kb is None
        assert own.render(SHORT).pages == 1
        assert not own.warming and own.idle_rss_kb > 0
    finally:
        own.stop()


def test_a_document_over_the_memory_limit_fails_alone(monkeypatch):
    monkeypatch.setattr(pdf_renderer, "MEMORY_LIMIT_MB", 8)
    with pytest.raises(MemoryError):
        renderer.render(LONG)
    process = renderer.process
    monkeypatch.undo()
    assert renderer.render(SHORT).pages == 1
    assert renderer.process is process  # the renderer itself was untouched


def test_a_document_over_the_cpu_limit_is_stopped(monkeypatch):
    monkeypatch.setattr(pdf_renderer, "RENDER_SECONDS", 1)
    with pytest.raises(RenderTimeout):
        renderer.render(LONG)


def test_a_reply_that_does_not_come_in_time_stops_the_renderer_and_the_next_starts_anew(
    monkeypatch,
):
    renderer.start()
    monkeypatch.setattr(pdf_renderer, "WAIT_SECONDS", 0.01)
    with pytest.raises(RenderTimeout):
        renderer.render(LONG)
    assert renderer.process is None
    monkeypatch.undo()
    assert renderer.render(SHORT).pages == 1
