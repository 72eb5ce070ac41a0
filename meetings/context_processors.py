def navigation(request):
    """Data the base layout needs on every page (filled in by the UI work)."""
    return {}
