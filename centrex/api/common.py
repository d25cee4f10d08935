"""What every resource of the API shares, written once: ids, errors, lists, saving.

(No ``from __future__ import annotations`` in the API modules: django-ninja reads the
annotations of the operations at import time to build the schema.)
"""

import copy
from collections.abc import Sequence
from functools import reduce
from operator import or_
from typing import Annotated, Generic, Literal, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _
from ninja import Field, Path, Schema
from ninja.errors import HttpError
from pydantic import create_model

# Database ids are 64-bit: a larger number is no id, and would overflow SQLite's integers.
MAX_ID = 2**63 - 1
ObjectId = Annotated[int, Path(ge=1, le=MAX_ID)]
RelatedId = Annotated[int, Field(ge=1, le=MAX_ID)] | None

T = TypeVar("T")


class ErrorOut(Schema):
    """Every error: a sentence, and for invalid input the messages of each field."""

    detail: str
    errors: dict[str, list[str]] = Field(
        default_factory=dict,
        description='Messages per field ("__all__": not about one field).',
    )


def responses(ok: dict, *errors: int) -> dict:
    """The documented answers of an operation: ``ok`` plus 401, 404, 422 and ``errors``."""
    return {**ok, **{code: ErrorOut for code in sorted({401, 404, 422, *errors})}}


def find(queryset: QuerySet, pk: int) -> Model:
    """The object ``pk`` among those the caller may see: out of scope is "not found" too,
    so the API never tells whether an object the caller may not see exists."""
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise HttpError(404, _("Not found."))
    return obj


# -- lists ---------------------------------------------------------------------------------
class ListQuery(Schema):
    q: str = Field("", max_length=100, description="Search (case-insensitive, any part).")
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(25, ge=1, le=100)
    sort: str | None = None  # each resource's list_query() says which values


def list_query(name: str, sorts: Sequence[str]) -> type[ListQuery]:
    """The query of one resource's list: ``sort`` is one of ``sorts``, ``-`` for descending."""
    choices = tuple(s for field in sorts for s in (field, f"-{field}"))
    return create_model(name, __base__=ListQuery,
                        sort=(Literal[choices] | None, Field(None, description="Sort key.")))


class Page(Schema, Generic[T]):
    count: int = Field(description="Objects that match, on all pages.")
    page: int
    page_size: int
    items: list[T]


def paginate(queryset: QuerySet, query: ListQuery, search: Sequence[str],
             default_sort: str) -> dict:
    """One page of ``queryset`` filtered by ``query.q`` on the ``search`` fields and sorted
    (only by the declared keys: user input never reaches ``order_by`` unchecked)."""
    text = query.q.strip().replace("\x00", "")
    if text:
        queryset = queryset.filter(reduce(or_, (Q(**{f"{f}__icontains": text}) for f in search)))
    queryset = queryset.order_by(query.sort or default_sort, "pk")
    start = (query.page - 1) * query.page_size
    return {"count": queryset.count(), "page": query.page, "page_size": query.page_size,
            "items": list(queryset[start:start + query.page_size])}


# -- writing -------------------------------------------------------------------------------
def patch_of(schema: type[Schema]) -> type[Schema]:
    """The body of a PATCH: the fields of ``schema`` with their checks, none required (send
    only what changes; ``null`` only where the field itself takes it)."""
    fields = {}
    for name, info in schema.model_fields.items():
        optional = copy.copy(info)
        optional.default, optional.default_factory = None, None
        fields[name] = (info.annotation, optional)
    return create_model(f"{schema.__name__}Patch", __base__=Schema, **fields)


def assign(obj: Model, values: dict, relations: Sequence[str] = ()) -> None:
    """Copy input values onto a model; a relation is given by id (``"user": 3``)."""
    for field, value in values.items():
        setattr(obj, f"{field}_id" if field in relations else field, value)


def save(obj: Model) -> Model:
    """Validate like the pages do (model ``full_clean``: validators, uniqueness, relations)
    and save, in one transaction."""
    with transaction.atomic():
        obj.full_clean()
        obj.save()
    return obj


def invalid(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})
