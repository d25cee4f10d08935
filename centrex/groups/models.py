"""Models of ring groups, pickup groups, short numbers and paging (docs/groups.md)."""
