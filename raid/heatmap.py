"""The 5x5 probability x impact heat map of a filtered RAID log, counted in one query."""

from django.db.models import Count

from .models import band_for

PROBABILITY_LABELS = {5: "Almost certain", 4: "Likely", 3: "Possible", 2: "Unlikely", 1: "Rare"}
IMPACT_LABELS = {1: "Minimal", 2: "Minor", 3: "Moderate", 4: "Major", 5: "Severe"}


def heat_map(items, query, selected=(None, None)):
    """Rows from probability 5 down to 1, columns impact 1 to 5. Each cell has its count,
    score, band, whether it is the selected cell and the register URL of its items (the
    current query string `query`, a QueryDict, plus the cell)."""
    rows = (
        items.order_by()
        .values_list("probability", "impact")
        # COUNT(*), not of the ids: an index-only scan of raid_status_scores can count it.
        .annotate(count=Count("*"))
        .values_list("probability", "impact", "count")
    )
    counts = {(probability, impact): count for probability, impact, count in rows}
    unscored = sum(n for (p, i), n in counts.items() if p is None or i is None)
    grid = []
    for probability in range(5, 0, -1):
        cells = []
        for impact in range(1, 6):
            link = query.copy()
            link.pop("page", None)
            link["probability"], link["impact"] = probability, impact
            score = probability * impact
            cells.append(
                {
                    "probability": probability,
                    "impact": impact,
                    "count": counts.get((probability, impact), 0),
                    "score": score,
                    "band": band_for(score),
                    "selected": (probability, impact) == tuple(selected),
                    "query": link.urlencode(),
                }
            )
        grid.append(
            {"probability": probability, "label": PROBABILITY_LABELS[probability], "cells": cells}
        )
    return {
        "rows": grid,
        "impacts": [(impact, IMPACT_LABELS[impact]) for impact in range(1, 6)],
        "total": sum(counts.values()) - unscored,
        "unscored": unscored,
    }
