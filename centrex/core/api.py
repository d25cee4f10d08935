"""REST API of the core app: users and departments (mounted by centrex/api/main.py)."""

import datetime

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from centrex.api.auth import may
from centrex.api.common import ObjectId, RelatedId, assign, find, invalid, responses
from centrex.api.crud import Resource
from centrex.core import roles, services
from centrex.core.models import Department, User
from centrex.telephony.services import delete_user

router = Router()


# -- departments ---------------------------------------------------------------------------
CALLER_ID_HELP = "Number shown on external calls (digits, optional +); empty: inherited."


class DepartmentIn(Schema):
    name: str = Field(max_length=80)
    outbound_caller_id: str = Field("", max_length=21, description=CALLER_ID_HELP)


class DepartmentOut(Schema):
    id: int
    name: str
    outbound_caller_id: str


class Departments(Resource):
    model = Department
    scope = staticmethod(roles.departments_in_scope)
    schema_in, schema_out = DepartmentIn, DepartmentOut
    search = sorts = ("name",)


# -- users ---------------------------------------------------------------------------------
class UserIn(Schema):
    username: str = Field(max_length=150)
    first_name: str = Field("", max_length=80)
    last_name: str = Field("", max_length=80)
    email: str = Field("", max_length=254)
    department: RelatedId = None
    is_active: bool = True
    outbound_caller_id: str = Field("", max_length=21, description=CALLER_ID_HELP)
    profiles: list[str] | None = Field(
        None, max_length=20, description="Profile names (administrators only). Absent: "
        "unchanged.")


class UserCreate(UserIn):
    give_password: bool = Field(
        False, description="Generate a first password, returned in this answer only and to "
        "be changed at the first sign-in. Without it the account cannot sign in.")


class UserOut(Schema):
    id: int
    username: str
    first_name: str
    last_name: str
    email: str
    department: int | None
    is_active: bool
    outbound_caller_id: str
    profiles: list[str]
    date_joined: datetime.datetime
    last_login: datetime.datetime | None

    @staticmethod
    def resolve_department(user: User) -> int | None:
        return user.department_id

    @staticmethod
    def resolve_profiles(user: User) -> list[str]:
        return roles.profiles_of(user)


class NewPassword(Schema):
    """A generated password, shown this once; it must be changed at the next sign-in."""

    first_password: str | None

    @staticmethod
    def resolve_first_password(user: User) -> str | None:
        return getattr(user, "first_password", None)  # never the stored hash


class UserCreated(UserOut, NewPassword):
    pass


class Users(Resource):
    """Written through ``centrex.core.services``, like the pages (profiles journaled there)."""

    model = User
    scope = staticmethod(roles.users_in_scope)
    schema_in, schema_out = UserIn, UserOut
    create_in, created_out = UserCreate, UserCreated
    search = ("username", "first_name", "last_name", "email")
    sorts = ("username", "last_name", "first_name", "email", "date_joined")
    relations = ("department",)

    def create(self, request: HttpRequest, values: dict) -> User:
        give_password = values.pop("give_password")
        user = User()
        profiles = _checked(request, user, values)
        user.first_password = services.create_user(user, profiles or [],
                                                   give_password=give_password)
        return user

    def update(self, request: HttpRequest, user: User, values: dict) -> User:
        services.update_user(user, _checked(request, user, values))
        return user

    def delete(self, request: HttpRequest, user: User) -> None:
        if user == request.auth:
            raise invalid("__all__", _("You cannot delete your own account."))
        # In telephony's services: deleting a user may delete their phones (applied).
        delete_user(user, with_phones=False)  # here they stay, without a user


def _checked(request: HttpRequest, user: User, values: dict) -> list[str] | None:
    """Set the values and validate them, all messages at once; returns the profiles to set
    (None: unchanged)."""
    profiles = values.pop("profiles", None)
    if profiles is not None and not roles.is_admin(request.auth):
        raise HttpError(403, _("Only an administrator may change profiles."))
    if user == request.auth and values.get("is_active") is False:
        raise invalid("is_active", _("You cannot deactivate your own account."))
    assign(user, values, Users.relations)
    errors: dict[str, list[str]] = {}
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    unknown = sorted(set(profiles or ()) - {name for name, _label in roles.offered_profiles()})
    if unknown:
        errors["profiles"] = [_("Unknown profile: %(names)s.") % {"names": ", ".join(unknown)}]
    if errors:
        raise ValidationError(errors)
    return profiles


users = Users()
user_router = users.register(Router(tags=["users"]))


@user_router.post("/{id}/password", response=responses({200: NewPassword}, 403),
                  auth=may(users.permission("change")), operation_id="give_user_new_password",
                  summary="Give a user a new generated password")
def give_new_password(request: HttpRequest, id: ObjectId):
    """The password is in this answer only; the user must change it at the next sign-in."""
    user = find(users.visible(request), id)
    user.first_password = services.give_new_password(user)
    return user


router.add_router("/departments", Departments().register(Router(tags=["departments"])))
router.add_router("/users", user_router)
