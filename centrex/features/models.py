"""Models of hot desking, conference rooms and call parking (docs/features.md)."""
