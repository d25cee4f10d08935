"""Lists with server-side sort, search, filters, pagination and export, written once for
every list page.

A view describes its columns and searchable fields; ``list_context`` reads ``?q=``,
``?sort=`` and ``?page=`` from the request, and ``web/_list.html`` draws the table, the
search box (with the view's filter fields, if any), the export links and the page links.
Sorting only by declared columns keeps user input out of ``order_by``.

``render_list`` is what a list view returns: the page, or — with ``?export=csv`` or
``?export=xlsx`` — every row that the search and filters select, as a file with the same
columns. ``table_response`` writes any table as CSV or XLSX; the user import/export uses
it too, so there is one writer.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

PER_PAGE = 25
SEARCH_MAX = 100
EXPORT_FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    label: str
    value: str | Callable[[Any], Any]  # attribute path ("user.department") or function
    sort: str | None = None            # ORM field to order by, None: not sortable
    link: bool = False                 # link the cell to the row's get_absolute_url()
    css: str = ""                      # class of the cells ("nowrap", "number")

    def render(self, obj: Any) -> Any:
        if callable(self.value):
            value = self.value(obj)
        else:
            value = obj
            for part in self.value.split("."):
                value = getattr(value, part, None) if value is not None else None
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        return value if value is not None else ""

    def text(self, obj: Any) -> str:
        """The cell as plain text, for exports."""
        value = self.render(obj)
        if hasattr(value, "tzinfo") and hasattr(value, "hour"):  # aware datetime → site zone
            value = timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
        return str(value)


def selected(
    request: HttpRequest,
    queryset: QuerySet,
    columns: Sequence[Column],
    search: Sequence[str] = (),
    default_sort: str = "",
) -> tuple[QuerySet, str, str]:
    """The rows the request asks for (search, then sort): ``(queryset, query, sort)``."""
    query = request.GET.get("q", "").strip()[:SEARCH_MAX]
    if query and search:
        queryset = queryset.filter(
            reduce(or_, (Q(**{f"{f}__icontains": query}) for f in search))
        ).distinct()  # a search across a relation must not repeat a row
    sortable = {c.sort for c in columns if c.sort}
    sort = request.GET.get("sort", default_sort)
    if sort.lstrip("-") not in sortable:
        sort = default_sort if default_sort.lstrip("-") in sortable else ""
    if sort:
        queryset = queryset.order_by(sort, "pk")
    elif not queryset.ordered:  # pages must not overlap
        queryset = queryset.order_by("pk")
    return queryset, query, sort


def list_context(
    request: HttpRequest,
    queryset: QuerySet,
    columns: Sequence[Column],
    search: Sequence[str] = (),
    default_sort: str = "",
    per_page: int = PER_PAGE,
    prepare: Callable[[list], dict | None] | None = None,
) -> dict:
    """The template context of one page of the list.

    ``prepare`` receives the objects of the page before they are drawn, to attach what the
    database does not hold (live state from Asterisk), once per page rather than once per
    row; the dict it returns is added to the context.
    """
    queryset, query, sort = selected(request, queryset, columns, search, default_sort)
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    objects = list(page.object_list)
    extra = (prepare(objects) if prepare else None) or {}
    rows = [{"object": obj, "cells": [(c, c.render(obj)) for c in columns]} for obj in objects]
    headers = []
    for c in columns:
        current = bool(c.sort) and sort.lstrip("-") == c.sort
        next_sort = ("-" if sort == c.sort else "") + c.sort if c.sort else ""
        headers.append({"label": c.label, "sort": next_sort, "sorted": current,
                        "desc": current and sort.startswith("-")})
    return {"page": page, "rows": rows, "headers": headers, "query": query,
            "searchable": bool(search), "total": page.paginator.count, **extra}


def export_format(request: HttpRequest) -> str | None:
    """``csv`` or ``xlsx`` when the request asks for an export, else None."""
    fmt = request.GET.get("export", "")
    return fmt if fmt in EXPORT_FORMATS else None


def render_list(
    request: HttpRequest,
    template: str,
    queryset: QuerySet,
    columns: Sequence[Column],
    *,
    search: Sequence[str] = (),
    default_sort: str = "",
    filters: forms.Form | None = None,
    export_name: str = "",
    prepare: Callable[[list], dict | None] | None = None,
    context: dict | None = None,
) -> HttpResponseBase:
    """A list page, or its export when ``export_name`` is set and ``?export=`` asks for it.

    ``filters`` is a bound GET form with an ``apply(queryset)`` method: its fields are
    drawn in the search bar and kept while sorting and paging.
    """
    if filters is not None:
        queryset = filters.apply(queryset) if filters.is_valid() else queryset.none()
    fmt = export_format(request) if export_name else None
    if fmt:
        rows, _query, _sort = selected(request, queryset, columns, search, default_sort)
        return table_response(
            export_name, [str(c.label) for c in columns],
            ([c.text(obj) for c in columns] for obj in rows.iterator(chunk_size=500)), fmt,
        )
    ctx = list_context(request, queryset, columns, search, default_sort, prepare=prepare)
    ctx.update(filters=filters, export_formats=EXPORT_FORMATS if export_name else ())
    ctx.update(context or {})
    return render(request, template, ctx)


# -- writing tables ------------------------------------------------------------------------
class _Line:
    """A file-like object for csv.writer that hands back what was written (streaming)."""

    def write(self, text: str) -> str:
        return text


def _csv_lines(header: Sequence[str], rows: Iterable[Sequence[str]]) -> Iterable[str]:
    writer = csv.writer(_Line(), lineterminator="\r\n")
    yield "\ufeff" + writer.writerow(header)  # the BOM tells spreadsheets it is UTF-8
    for row in rows:
        yield writer.writerow(row)


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """An XLSX workbook of one sheet; every cell is text, so ``0301`` stays ``0301`` and
    nothing a user typed is ever read as a formula."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {
        "in_memory": True, "constant_memory": True, "strings_to_numbers": False,
        "strings_to_formulas": False, "strings_to_urls": False,
    })
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, header, book.add_format({"bold": True}))
    widths = [len(h) for h in header]
    for number, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            sheet.write_string(number, col, value)
            widths[col] = max(widths[col], min(len(value), 60))
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width + 2)
    sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()


def table_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[str]], fmt: str
) -> HttpResponseBase:
    """A table as a file to download: CSV (streamed, UTF-8) or XLSX."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    disposition = f'attachment; filename="{filename}-{stamp}.{fmt}"'
    if fmt == "csv":
        response: HttpResponseBase = StreamingHttpResponse(
            _csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(xlsx_bytes(header, rows), content_type=XLSX_TYPE)
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    response["Content-Disposition"] = disposition
    response["Cache-Control"] = "no-store"
    return response
