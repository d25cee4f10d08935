"""Models of this app (see its apps.py)."""
