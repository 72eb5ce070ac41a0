"""A RAID item's score history: every change of probability, impact, mitigation or status,
read from its django-simple-history versions (one query), with the score's trend."""

from core.templatetags.audit import who

from .models import RaidStatus, band_for

TRACKED = (("probability", "Probability"), ("impact", "Impact"), ("status", "Status"))
STATUS_LABELS = dict(RaidStatus.choices)
# Size of the trend chart's drawing area, in SVG user units.
WIDTH, HEIGHT, PAD = 320, 100, 12


def score_history(item):
    """Oldest first: {"when", "who", "reason", "changes", "mitigation", "score", "band",
    "trend"} for the raising and for each version that changed a tracked field."""
    versions = item.history.select_related("history_user__person").order_by(
        "history_date", "history_id"
    )
    entries, previous, last_score = [], None, None
    for version in versions:
        changes = []
        mitigation = None
        if previous is not None:
            for field, label in TRACKED:
                old, new = getattr(previous, field), getattr(version, field)
                if old != new:
                    if field == "status":
                        old, new = STATUS_LABELS.get(old, old), STATUS_LABELS.get(new, new)
                    changes.append(f"{label} {old or '—'} → {new or '—'}")
            if previous.mitigation != version.mitigation:
                changes.append("Mitigation updated")
                mitigation = version.mitigation
        previous = version
        if version.history_type == "+":
            changes.insert(0, "Raised")
            mitigation = version.mitigation or None
        elif not changes:
            continue
        score = (version.probability or 0) * (version.impact or 0) or None
        band = band_for(score)
        entries.append(
            {
                "when": version.history_date,
                "who": who(version.history_user),
                "reason": version.history_change_reason or "",
                "changes": changes,
                "mitigation": mitigation,
                "score": score,
                "band": band.label if band else "",
                "trend": _direction(last_score, score),
            }
        )
        last_score = score if score is not None else last_score
    return entries


def _direction(before, after):
    if before is None or after is None or before == after:
        return ""
    return "up" if after > before else "down"


def trend_chart(entries):
    """Points of a line chart of the score over the history (None with fewer than two
    scores): x spread evenly, y from 0 (bottom) to 25 (top)."""
    scored = [entry for entry in entries if entry["score"] is not None]
    if len(scored) < 2:
        return None
    step = (WIDTH - 2 * PAD) / (len(scored) - 1)
    points = []
    for index, entry in enumerate(scored):
        x = PAD + index * step
        y = HEIGHT - PAD - entry["score"] * (HEIGHT - 2 * PAD) / 25
        points.append({"x": round(x, 1), "y": round(y, 1), "entry": entry})
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "baseline": HEIGHT - PAD,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
        "points": points,
        "summary": " → ".join(str(entry["score"]) for entry in scored),
    }
