"""Lists with server-side sort, search and pagination, written once for every list page.

A view describes its columns and searchable fields; ``list_context`` reads ``?q=``,
``?sort=`` and ``?page=`` from the request, and ``web/_list.html`` draws the table, the
search box and the page links. Sorting only by declared columns keeps user input out of
``order_by``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest

PER_PAGE = 25


@dataclass(frozen=True)
class Column:
    label: str
    value: str | Callable[[Any], Any]  # attribute path ("user.department") or function
    sort: str | None = None            # ORM field to order by, None: not sortable
    link: bool = False                 # link the cell to the row's get_absolute_url()

    def render(self, obj: Any) -> Any:
        if callable(self.value):
            return self.value(obj)
        for part in self.value.split("."):
            obj = getattr(obj, part, None) if obj is not None else None
        return obj if obj is not None else ""


def list_context(
    request: HttpRequest,
    queryset: QuerySet,
    columns: Sequence[Column],
    search: Sequence[str] = (),
    default_sort: str = "",
    per_page: int = PER_PAGE,
) -> dict:
    query = request.GET.get("q", "").strip()[:100]
    if query and search:
        queryset = queryset.filter(reduce(or_, (Q(**{f"{f}__icontains": query}) for f in search)))
    sortable = {c.sort for c in columns if c.sort}
    sort = request.GET.get("sort", default_sort)
    if sort.lstrip("-") in sortable:
        queryset = queryset.order_by(sort, "pk")
    else:
        sort = ""
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    rows = [
        {"object": obj, "cells": [(c, c.render(obj)) for c in columns]}
        for obj in page.object_list
    ]
    headers = []
    for c in columns:
        current = bool(c.sort) and sort.lstrip("-") == c.sort
        next_sort = ("-" if sort == c.sort else "") + c.sort if c.sort else ""
        headers.append({"label": c.label, "sort": next_sort, "sorted": current,
                        "desc": current and sort.startswith("-")})
    return {"page": page, "rows": rows, "headers": headers, "query": query,
            "searchable": bool(search), "total": page.paginator.count}
