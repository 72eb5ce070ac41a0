"""The search box in the header (meetings/search.py)."""

from django.shortcuts import redirect, render

from .search import record_by_reference, search

# Longer is not a search anyone types; it is cut, not refused.
MAX_LENGTH = 200


def search_page(request):
    """Any logged-in user: a reference typed exactly goes to its record if they may see it;
    other words show the best matches of each kind among what they may see."""
    typed = request.GET.get("q", "")
    words = "".join(c if c.isprintable() else " " for c in typed)[:MAX_LENGTH].strip()
    record = record_by_reference(request.user, words)
    if record is not None:
        return redirect(record)
    return render(
        request, "meetings/search.html", {"q": words, "found": search(request.user, words)}
    )
