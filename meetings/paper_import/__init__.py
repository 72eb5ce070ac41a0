"""Importing past papers (minutes and actions documents, slide packs, paper packs) as a
checked past meeting: read (parse_*.py, pure), previewed against the tracker (preview.py),
committed through the meetings' and registers' services (commit.py)."""
