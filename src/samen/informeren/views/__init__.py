"""The public site (no login): the finder and activity pages (finder.py), the start page, the self-check
and how the approach works (pages.py)."""
