"""Bar charts drawn on the server as SVG: no script, no external library, the same markup on
the trends page and in the PDF (WeasyPrint draws inline SVG). Each chart is an image with a
title and points screen readers to the table of its numbers that the page shows beside it.
Colours are presentation attributes, which the Content Security Policy allows (it forbids
style attributes and inline CSS)."""

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

# Colour-blind safe (Okabe-Ito), with enough contrast on white.
COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]
WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 16, 64


def _nice_top(value: float) -> float:
    """A round top for the axis: 1, 2, 5 or 10 times a power of ten, at least `value`."""
    if value <= 0:
        return 1
    step = 1
    while step * 10 < value:
        step *= 10
    for multiple in (1, 2, 5, 10):
        if step * multiple >= value:
            return step * multiple
    return step * 10


def bar_chart(labels, series, *, chart_id, title, table_id) -> SafeString:
    """Grouped bars: one group per label, one bar per series ((name, values), a value None
    for "not known", drawn as no bar). `table_id` is the table with the numbers."""
    top = _nice_top(max((v for _, values in series for v in values if v is not None), default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(labels), 1)
    bar_w = max(slot * 0.8 / max(len(series), 1), 1)
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" '
            'role="img" aria-labelledby="{}-title" aria-describedby="{}" class="chart" id="{}">'
            '<title id="{}-title">{}</title>',
            WIDTH,
            HEIGHT,
            chart_id,
            table_id,
            chart_id,
            chart_id,
            title,
        )
    ]
    for fraction in (0, 0.5, 1):
        y = TOP + plot_h * (1 - fraction)
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#bbb" stroke-width="1"/>'
                '<text x="{}" y="{}" font-size="11" text-anchor="end" fill="#333">{}</text>',
                LEFT,
                WIDTH - RIGHT,
                f"{y:.1f}",
                f"{y:.1f}",
                LEFT - 4,
                f"{y + 4:.1f}",
                f"{top * fraction:g}",
            )
        )
    for index, label in enumerate(labels):
        x0 = LEFT + slot * index + slot * 0.1
        for number, (_, values) in enumerate(series):
            value = values[index]
            if value is None:
                continue
            height = plot_h * value / top
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                    f"{x0 + bar_w * number:.1f}",
                    f"{TOP + plot_h - height:.1f}",
                    f"{bar_w:.1f}",
                    f"{height:.1f}",
                    COLOURS[number % len(COLOURS)],
                )
            )
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="10" text-anchor="end" fill="#333" '
                'transform="rotate(-40 {} {})">{}</text>',
                f"{x0 + slot * 0.4:.1f}",
                HEIGHT - BOTTOM + 14,
                f"{x0 + slot * 0.4:.1f}",
                HEIGHT - BOTTOM + 14,
                label,
            )
        )
    for number, (name, _) in enumerate(series):
        x = LEFT + number * 140
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="10" height="10" fill="{}"/>'
                '<text x="{}" y="{}" font-size="11" fill="#333">{}</text>',
                x,
                HEIGHT - 12,
                COLOURS[number % len(COLOURS)],
                x + 14,
                HEIGHT - 3,
                name,
            )
        )
    parts.append(mark_safe("</svg>"))
    # Every piece above is escaped by format_html; joined, it stays safe.
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308
