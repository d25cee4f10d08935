"""The six operations of a resource (list, read, create, replace, update, delete), once.

A resource names its model, its scope function (``centrex.core.roles``), its schemas and
its list's search and sort fields; what differs (a phone is applied to Asterisk, a user has
a password and profiles) is a method it overrides. Reading needs only to be signed in: the
scope decides which objects the caller sees. Writing needs the model's permission
(``core.add_user``...) and the object in scope; an object out of scope is "not found".
"""

from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import Model, QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status

from centrex.api.auth import may
from centrex.api.common import (
    ObjectId,
    Page,
    assign,
    find,
    list_query,
    paginate,
    patch_of,
    responses,
    save,
)

Scope = Callable[[Any, QuerySet], QuerySet]


def administrators(perm: str):
    """A scope: everything for holders of ``perm``, nothing for others (their lists are
    empty and a read is 404, like an object out of scope)."""
    def scope(user, queryset: QuerySet) -> QuerySet:
        return queryset if user.has_perm(perm) else queryset.none()
    return staticmethod(scope)


def _named(name: str) -> dict:
    """One name for an operation in the schema and for its URL (the views are generic)."""
    return {"operation_id": name, "url_name": name}


class Resource:
    model: type[Model]
    scope: Scope  # staticmethod(roles.users_in_scope)
    schema_in: type[Schema]
    schema_out: type[Schema]
    create_in: type[Schema] | None = None  # what a creation takes, if more than schema_in
    created_out: type[Schema] | None = None  # what a creation returns, if more (a secret)
    search: Sequence[str] = ()
    sorts: Sequence[str] = ()
    relations: Sequence[str] = ()  # input fields given by id ("department": 3)
    write_errors: tuple[int, ...] = (400, 403, 409)  # documented answers of the writes

    # -- what a resource may override -------------------------------------------------------
    def create(self, request: HttpRequest, values: dict) -> Model:
        obj = self.model()
        assign(obj, values, self.relations)
        return save(obj)

    def update(self, request: HttpRequest, obj: Model, values: dict) -> Model:
        assign(obj, values, self.relations)
        return save(obj)

    def delete(self, request: HttpRequest, obj: Model) -> None:
        obj.delete()

    # -- the operations ---------------------------------------------------------------------
    def visible(self, request: HttpRequest) -> QuerySet:
        return self.scope(request.auth, self.model._default_manager.all())

    def permission(self, action: str) -> str:
        meta = self.model._meta
        return f"{meta.app_label}.{action}_{meta.model_name}"

    def register(self, router: Router) -> Router:
        name = self.model._meta.model_name
        query_schema = list_query(f"{self.model.__name__}ListQuery", self.sorts)
        schema_in, schema_patch, out = self.schema_in, patch_of(self.schema_in), self.schema_out
        write = self.write_errors

        @router.get("", response=responses({200: Page[out]}), **_named(f"list_{name}s"),
                    summary=f"List {name}s")
        def list_(request: HttpRequest, query: Query[query_schema]):
            """Search, sort and page through the objects the caller's profile may see."""
            return paginate(self.visible(request), query, self.search, self.sorts[0])

        @router.get("/{id}", response=responses({200: out}), **_named(f"get_{name}"),
                    summary=f"Read a {name}")
        def read(request: HttpRequest, id: ObjectId):
            return find(self.visible(request), id)

        @router.post("", response=responses({201: self.created_out or out}, *write),
                     auth=may(self.permission("add")), **_named(f"create_{name}"),
                     summary=f"Create a {name}")
        def create(request: HttpRequest, payload: self.create_in or schema_in):
            return Status(201, self.create(request, payload.dict()))

        @router.put("/{id}", response=responses({200: out}, *write),
                    auth=may(self.permission("change")), **_named(f"replace_{name}"),
                    summary=f"Replace a {name}")
        def replace(request: HttpRequest, id: ObjectId, payload: schema_in):
            """Every field is set: those left out take their default value."""
            return self.update(request, find(self.visible(request), id), payload.dict())

        @router.patch("/{id}", response=responses({200: out}, *write),
                      auth=may(self.permission("change")), **_named(f"update_{name}"),
                      summary=f"Change some fields of a {name}")
        def update(request: HttpRequest, id: ObjectId, payload: schema_patch):
            """Only the fields sent are changed."""
            return self.update(request, find(self.visible(request), id),
                               payload.dict(exclude_unset=True))

        @router.delete("/{id}", response=responses({204: None}, *write),
                       auth=may(self.permission("delete")), **_named(f"delete_{name}"),
                       summary=f"Delete a {name}")
        def delete(request: HttpRequest, id: ObjectId):
            self.delete(request, find(self.visible(request), id))
            return Status(204, None)

        return router


class AdminResource(Resource):
    """Reading needs the model's view permission too (operators' addresses and numbers are
    the administrators' business): 403 for anybody else, not an empty list."""

    def register(self, router: Router) -> Router:
        super().register(router)
        guard = may(self.permission("view"))
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                if operation.methods == ["GET"]:
                    operation.auth_param = guard
                    operation.auth_callbacks = guard
        return router
