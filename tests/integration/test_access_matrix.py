"""Who may open what: every page and every API operation, for every profile.

Nothing here is a list someone must keep up to date. Pages are found by walking the URL
configuration (``centrex.urls``, through every include) and each one's rule is read from
the view (``centrex_access``, set by ``centrex.web.access``); API operations and their rules
come from the API itself (``centrex.api.main.operation_rules`` and its OpenAPI schema). A
page or operation without a rule fails the first tests below, so none can ship without one.

For every profile (anonymous, a plain user, each profile of ``centrex.core.roles``, a
superuser) and every page, a GET must give: the page when the rule allows it, 403 when it
does not, the sign-in page for anonymous visitors. For every API operation, with a personal
token of that profile: 401 without a token, 403 without the permission (and nothing
changed), never a 500. Path parameters are filled with real objects created for each test.
Pages that read Asterisk's live state run once more against the session's real Asterisk.

Scope (which objects): the reference is the scope functions of ``centrex.core.roles``
(checked here against the seed documents' rules: an administrator sees everything, a
department head their department, anybody else their own objects). Lists and API answers
must not show an object out of the visitor's scope; opening one gives 403 or 404.
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import Group, Permission
from django.db.models import Model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from centrex.core import audit, roles
from centrex.core.models import AuditEntry, Department, User
from centrex.telephony.models import Phone
from tests.factories import (
    ANONYMOUS,
    PLAIN_USER,
    SUPERUSER,
    all_profiles,
    api_token,
    client_for,
    make_department,
    make_phone,
    make_user,
    token_model,
)

pytestmark = pytest.mark.django_db

PUBLIC, AUTHENTICATED = "public", "authenticated"
PROFILES = all_profiles()
SIGNIN_URL = "/signin/"
MISSING_ID = 2**62  # an id no object has: a write allowed by the rule then finds nothing


# -- discovery: pages --------------------------------------------------------------------------
@dataclass(frozen=True)
class Page:
    route: str  # "manage/users/<int:pk>/"
    name: str | None
    view: str  # dotted path of the view, for messages
    access: str | None  # "public", "authenticated", a permission, or None (no rule!)

    @property
    def url_template(self) -> str:
        """The route, with a catch-all regex replaced by a path nothing else serves."""
        return "/" + re.sub(r"<regex:[^>]*>", CATCH_ALL_SAMPLE, self.route)

    @property
    def catch_all(self) -> bool:
        """A fallback route (``re_path(r"^.*$")``): its page *is* a 404."""
        return "<regex:" in self.route

    @property
    def params(self) -> list[str]:
        return re.findall(r"<(?:\w+:)?(\w+)>", self.route)

    def __str__(self) -> str:
        return self.url_template


CATCH_ALL_SAMPLE = "zz-no-such-page"


def _access_of(callback) -> str | None:
    for candidate in (callback, getattr(callback, "view_class", None),
                      getattr(callback, "cls", None)):
        rule = getattr(candidate, "centrex_access", None)
        if rule:
            return rule
    return None


def _is_api(callback) -> bool:
    """django-ninja's own views (operations, schema): checked through the API below."""
    func = getattr(callback, "func", callback)  # functools.partial
    return (getattr(func, "__module__", "") or "").startswith("ninja")


def _walk(patterns, prefix: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + _route(pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + _route(pattern), pattern


def _route(pattern) -> str:
    if isinstance(pattern.pattern, RoutePattern):
        return str(pattern.pattern)
    regex = str(pattern.pattern).lstrip("^").rstrip("$").replace("\\Z", "")
    if re.fullmatch(r"[\w/.\-]*", regex):
        return regex  # a literal path
    if re.fullmatch(regex, CATCH_ALL_SAMPLE):
        return f"<regex:{regex}>"
    raise AssertionError(f"cannot request the regex route {regex!r}: teach _route about it")


def discover_pages() -> list[Page]:
    pages = []
    for route, pattern in _walk(get_resolver().url_patterns):
        callback = pattern.callback
        if _is_api(callback):
            continue
        view = f"{getattr(callback, '__module__', '?')}.{getattr(callback, '__name__', '?')}"
        pages.append(Page(route, pattern.name, view, _access_of(callback)))
    return sorted(pages, key=lambda p: p.route)


PAGES = discover_pages()


# -- discovery: API operations -----------------------------------------------------------------
@dataclass(frozen=True, order=True)
class Operation:
    method: str  # "get", "post"...
    path: str  # "/api/v1/users/{id}"
    rule: str

    @property
    def params(self) -> list[str]:
        return re.findall(r"\{(\w+)\}", self.path)

    @property
    def writes(self) -> bool:
        return self.method not in {"get", "head", "options"}

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path}"


API_MODULE = "centrex.api.main"
API_ERROR: str | None = None


def _api_exists() -> bool:
    return importlib.util.find_spec(API_MODULE) is not None


def api_operations() -> list[Operation]:
    """Every operation with its rule, from the API itself (none until the API exists)."""
    if not _api_exists():
        return []
    from centrex.api.main import operation_rules

    return sorted(Operation(m.lower(), p, r) for m, p, r in operation_rules())


def api_schema() -> dict:
    from centrex.api.main import api

    return api.get_openapi_schema()


try:
    OPERATIONS = api_operations()
except Exception as exc:  # reported by test_api_is_importable, not a collection error
    OPERATIONS, API_ERROR = [], f"{type(exc).__name__}: {exc}"


# -- the world each test runs in ----------------------------------------------------------------
@dataclass
class World:
    """The visitor (None: anonymous) in "Sales" with a phone; a colleague in Sales and an
    outsider in "Support", each with a phone; names easy to spot in a page."""

    visitor: User | None
    sales: Department
    support: Department
    colleague: User
    outsider: User
    phones: dict[str, Phone] = field(default_factory=dict)  # own, colleague, outsider
    tokens: dict[int, Model] = field(default_factory=dict)  # by owner
    entry: AuditEntry | None = None

    def person(self, whose: str) -> User:
        return {"own": self.visitor or self.colleague, "colleague": self.colleague,
                "outsider": self.outsider}[whose]

    def object(self, kind: str, whose: str) -> Model:
        """The ``kind`` object (user, phone, department, token, journal entry) of ``whose``."""
        person = self.person(whose)
        if kind == "user":
            return person
        if kind == "phone":
            return next(p for p in self.phones.values() if p.user_id == person.pk)
        if kind == "department":
            return person.department
        if kind == "token" and token_model() is not None:
            if person.pk not in self.tokens:
                api_token(person)
                self.tokens[person.pk] = token_model().objects.filter(owner=person).first()
            return self.tokens[person.pk]
        if kind in {"entry", "journal", "auditentry", "audit"}:
            return self.entry
        if kind in {"mailbox", "mailboxe"}:  # voicemail: the phone user's only, any profile
            from centrex.voicemail.models import Mailbox

            return Mailbox.objects.get(pk=self.object("phone", whose).pk)
        if kind == "contact":  # a private directory contact: its creator's only
            from centrex.directory.models import Contact

            return Contact.objects.get_or_create(
                owner=person, private=True,
                defaults={"last_name": f"{person.last_name} Contact", "number1": "0600"})[0]
        if kind in {"conference", "conferenceroom"}:  # features: rooms are everyone's
            from centrex.features.models import ConferenceRoom

            return ConferenceRoom.objects.get_or_create(
                extension="880", defaults={"name": "Roomqx"})[0]
        if kind in {"hotdesk", "hotdesklogin"}:  # features: one's line at a free desk
            from centrex.features.models import HotdeskLogin

            line = self.object("phone", whose)
            seat = HotdeskLogin.objects.filter(line=line).first()
            return seat or HotdeskLogin.objects.create(line=line, desk=make_phone(
                f"9{line.extension}", hotdesk=True, name="Desk"))
        if kind in {"ringgroup", "paginggroup", "shortnumber", "pickupgroup"}:
            return groups_object(kind)  # groups: administrators' objects, nobody's own
        if kind in {"trunk", "route", "inboundnumber"}:
            return routing_object(kind)  # routing: administrators' objects, nobody's own
        if kind == "recording":  # contact center: a recording of the person's call
            return recording_object(person)
        if kind == "queue":  # contact center: the queue of the recordings above, which
            queue = recording_object(person).queue  # the person works in (an agent of it)
            Group.objects.get_or_create(name=f"AG {queue.name}")[0].user_set.add(person)
            return queue
        if kind == "pausereason":  # contact center: the administrator's list
            from centrex.contact_center.models import PauseReason

            return PauseReason.objects.get_or_create(code="9", defaults={"name": "Pauseqx"})[0]
        if kind in {"sound", "musiconhold", "musicclasse"}:  # ivr sounds: administrators'
            return sound_object(kind)
        if kind in CALENDAR_KINDS:  # ivr calendars: administrators'
            return calendar_object(kind)
        if kind in {"application", "webservice"}:  # ivr applications: administrators'
            return application_object(kind)
        if kind == "call":  # reports: a call made from the person's phone
            return call_object(person)
        if kind in {"rate", "rateplan"}:  # billing: the administrators' rate plans
            from centrex.reports.models import RatePlan

            return RatePlan.objects.get_or_create(name="Planqx")[0]
        pytest.fail(f"no object for a parameter of kind {kind!r}: teach World.object about it")


CALENDAR_KINDS = {"schedule", "openinghour", "holiday", "closure", "incident"}


def calendar_object(kind: str) -> Model:
    import datetime

    from django.utils import timezone

    from centrex.ivr.models import Closure, Holiday, Incident, Schedule

    if kind in {"schedule", "openinghour"}:
        return Schedule.objects.get_or_create(name="Hoursqx")[0]
    if kind == "holiday":
        return Holiday.objects.get_or_create(name="Holidayqx",
                                             defaults={"date": datetime.date(2030, 6, 3)})[0]
    if kind == "closure":
        start = timezone.now() + datetime.timedelta(days=400)
        return Closure.objects.get_or_create(reason="Closureqx", defaults={
            "start": start, "end": start + datetime.timedelta(days=1)})[0]
    return Incident.objects.get_or_create(code="QX", defaults={"name": "Incqx", "number": 98})[0]


def application_object(kind: str) -> Model:
    from centrex.ivr.models import Application, WebService

    if kind == "webservice":
        return WebService.objects.get_or_create(
            name="crmqx", defaults={"url": "http://127.0.0.1:9/route"})[0]
    return Application.objects.get_or_create(name="Appqx", defaults={"number": "3479"})[0]


def sound_object(kind: str) -> Model:
    from centrex.ivr.models import MusicClass, Sound

    if kind == "sound":
        return Sound.objects.get_or_create(name="Soundqx")[0]
    return MusicClass.objects.get_or_create(name="classqx")[0]


def recording_object(agent: User) -> Model:
    """A queue call of ``agent`` recorded in queue "Recqx" (the row only: no file)."""
    from centrex.contact_center.models import Queue, Recording

    queue = Queue.objects.get_or_create(name="Recqx", defaults={"extension": "3489"})[0]
    return Recording.objects.get_or_create(
        path=f"centrex/Recqx/qx.{agent.pk}.wav", defaults={
            "queue": queue, "queue_name": queue.name, "agent": agent,
            "agent_name": agent.username, "uniqueid": f"qx.{agent.pk}",
            "started_at": agent.date_joined})[0]


def call_object(caller: User) -> Model:
    """An outgoing call of ``caller`` (the row only), in the caller's department."""
    from centrex.reports.models import Call

    return Call.objects.get_or_create(linkedid=f"qx.{caller.pk}", defaults={
        "uniqueid": f"qx.{caller.pk}", "start": caller.date_joined, "direction": "out",
        "state": "answered", "source": "2000", "destination": "0611223344",
        "caller": caller, "caller_department_id": caller.department_id})[0]


def groups_object(kind: str) -> Model:
    from centrex.groups.models import PagingGroup, RingGroup, SpeedDial
    from centrex.telephony.models import PickupGroup

    if kind == "ringgroup":
        return RingGroup.objects.get_or_create(extension="3480", defaults={"name": "Ringqx"})[0]
    if kind == "paginggroup":
        return PagingGroup.objects.get_or_create(extension="3481", defaults={"name": "Pageqx"})[0]
    if kind == "shortnumber":
        return SpeedDial.objects.get_or_create(
            code="*0348", defaults={"name": "Shortqx", "number": "3480"})[0]
    PickupGroup.ensure_all()
    return PickupGroup.objects.get(number=5)


def routing_object(kind: str) -> Model:
    from centrex.routing.models import InboundNumber, Route, RouteTrunk, Trunk

    trunk = Trunk.objects.get_or_create(name="trunkqx", defaults={
        "host": "192.0.2.1", "auth_mode": "address"})[0]
    if kind == "trunk":
        return trunk
    if kind == "route":
        route, made = Route.objects.get_or_create(name="Routeqx", defaults={"pattern": "0399"})
        if made:
            RouteTrunk.objects.create(route=route, trunk=trunk)
        return route
    return InboundNumber.objects.get_or_create(number="0155003298", defaults={"target": "301"})[0]


def make_world(profile: str) -> World:
    sales, support = make_department("Sales"), make_department("Supportqx")
    visitor = None
    if profile != ANONYMOUS:
        visitor = make_user(f"visitor_{profile.replace(' ', '_')}", profile=profile,
                            department=sales, last_name="Visitorqx")
    colleague = make_user("colleague", department=sales, last_name="Colleagueqx")
    outsider = make_user("outsider", department=support, last_name="Outsiderqx")
    world = World(visitor, sales, support, colleague, outsider)
    if visitor is not None:
        world.phones["own"] = make_phone("201", user=visitor, name="Visitorqx Phone")
    world.phones["colleague"] = make_phone("301", user=colleague, name="Colleagueqx Phone")
    world.phones["outsider"] = make_phone("401", user=outsider, name="Outsiderqx Phone")
    audit.record("test", outsider, object_repr="Outsiderqx entry")
    world.entry = AuditEntry.objects.filter(action="test").first()
    for whose in ("own", "colleague", "outsider"):
        world.object("contact", whose)  # each one's private directory contact
        world.object("hotdesklogin", whose)  # each one's line logged in at a free desk
        world.object("recording", whose)  # a recorded queue call of each one
        world.object("call", whose)  # a call made by each one
    world.object("rateplan", "own")  # a rate plan, the administrators'
    world.object("conferenceroom", "own")  # a conference room, seen by everyone
    world.object("pausereason", "own")  # a pause reason, read by everyone
    world.object("queue", "own")  # the visitor works in the recordings' queue
    for kind in ("trunk", "route", "inboundnumber"):
        routing_object(kind)  # administrators' trunk, route and inbound number
    for kind in ("ringgroup", "paginggroup", "shortnumber", "pickupgroup"):
        groups_object(kind)
    for kind in ("sound", "musicclasse"):
        sound_object(kind)  # a sound and a music class, read by everyone
    for kind in ("schedule", "holiday", "closure", "incident"):
        calendar_object(kind)  # calendars: read by everyone
    for kind in ("application", "webservice"):
        application_object(kind)  # applications: administrators'
    return world


# -- expectations ---------------------------------------------------------------------------
def allowed(profile: str, rule: str) -> bool:
    """What the rule says for a profile, from the profiles table (not from the groups)."""
    if rule == PUBLIC:
        return True
    if profile == ANONYMOUS:
        return False
    if rule == AUTHENTICATED or profile == SUPERUSER:
        return True
    if profile == PLAIN_USER:
        return False
    return rule in roles.PROFILES[profile].permissions


def in_scope(visitor: User | None, obj: Model) -> bool:
    """May ``visitor`` see ``obj``: the scope functions of centrex.core.roles."""
    if visitor is None:
        return False
    one = type(obj)._default_manager.filter(pk=obj.pk)
    if type(obj).__name__ == "Mailbox":  # voicemail: one's own boxes only
        return obj.user_id == visitor.pk
    if isinstance(obj, User):
        return roles.users_in_scope(visitor, one).exists()
    if isinstance(obj, Phone):
        return roles.phones_in_scope(visitor, one).exists()
    if isinstance(obj, Department):
        return roles.departments_in_scope(visitor, one).exists()
    if isinstance(obj, AuditEntry):
        return visitor.has_perm("core.view_audit")
    if token_model() is not None and isinstance(obj, token_model()):
        return obj.owner_id == visitor.pk
    if type(obj).__name__ in {"RingGroup", "PagingGroup", "SpeedDial"}:
        return True  # groups: every signed-in user may dial (and read) them
    if type(obj).__name__ in {"Application", "WebService"}:  # ivr: administrators only
        return visitor.has_perm(f"ivr.view_{type(obj).__name__.lower()}")
    if type(obj).__name__ in {"Trunk", "Route", "InboundNumber"}:  # administrators only
        return visitor.has_perm(f"routing.view_{type(obj).__name__.lower()}")
    if type(obj).__name__ == "PickupGroup":
        return visitor.has_perm("telephony.view_pickupgroup")
    if type(obj).__name__ == "Contact":  # directory: shared, or private and one's own
        return not obj.private or obj.owner_id == visitor.pk
    if type(obj).__name__ == "ConferenceRoom":  # features: every signed-in user
        return True
    if type(obj).__name__ == "HotdeskLogin":  # features: admins in scope, else one's own
        from centrex.features.services import logins_visible

        return logins_visible(visitor).filter(pk=obj.pk).exists()
    if type(obj).__name__ == "Recording":  # contact center: supervisors of its queue, admins
        from centrex.contact_center.recording_views import visible

        return (visitor.has_perm("contact_center.view_recording")
                and visible(visitor).filter(pk=obj.pk).exists())
    if type(obj).__name__ == "Queue":  # contact center: the queues one supervises or works in
        from centrex.contact_center.scope import agent_queues, supervised_queues

        return (supervised_queues(visitor).filter(pk=obj.pk).exists()
                or agent_queues(visitor).filter(pk=obj.pk).exists())
    if type(obj).__name__ in {"Sound", "MusicClass", "Schedule", "Holiday", "Closure",
                              "Incident"}:  # ivr: read by every signed-in user
        return True
    if type(obj).__name__ == "PauseReason":  # contact center: read by every signed-in user
        return True
    if type(obj).__name__ == "RatePlan":  # billing: administrators only
        return visitor.has_perm("reports.view_rateplan")
    if type(obj).__name__ == "Call":  # reports: own calls, the department's, or all
        from centrex.reports.calllog import visible as visible_calls

        return visible_calls(visitor).filter(pk=obj.pk).exists()
    raise AssertionError(f"no scope rule for {type(obj).__name__}")


def _singular(word: str) -> str:
    word = word.lower().replace("-", "").replace("_", "")
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") else word


def kind_of(route: str, param: str) -> str:
    """``users/<int:pk>/`` → user; ``<int:phone_id>`` → phone; ``/phones/{id}`` → phone."""
    base = re.sub(r"_(pk|id)$", "", param)
    if base not in {"pk", "id"}:
        return _singular(base)
    match = re.search(r"<(?:\w+:)?" + param + r">|\{" + param + r"\}", route)
    before = route[:match.start()] if match else ""
    segments = [s for s in before.split("/") if s and not s.startswith(("<", "{"))]
    return _singular(segments[-1]) if segments else "?"


def fill(template: str, params: list[str], world: World, whose: str,
         missing: bool = False) -> str:
    url = template
    for param in params:
        obj = world.object(kind_of(template, param), whose)
        value = str(MISSING_ID if missing else obj.pk)
        url = re.sub(r"<(?:\w+:)?" + param + ">", value, url)
        url = url.replace("{" + param + "}", value)
    return url


def whose_objects(rule: str) -> str:
    """Pages open to every signed-in user show the visitor's own objects (their scope);
    pages behind a permission are tried on a colleague's (same department)."""
    return "own" if rule in {AUTHENTICATED, PUBLIC} else "colleague"


def is_signin_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(SIGNIN_URL)


def _case_id(profile: str, thing) -> str:
    return f"{profile}:{thing}"


# == rules are declared =========================================================================
def test_pages_were_found():
    names = {p.name for p in PAGES}
    assert {"home", "signin", "account", "account-password"} <= names


def test_every_page_declares_its_access_rule():
    missing = [f"{p.url_template} ({p.view})" for p in PAGES if not p.access]
    assert not missing, ("views without @requires(...), @requires() or @public "
                         "(centrex/web/access.py):\n  " + "\n  ".join(missing))


def test_every_rule_names_a_real_permission():
    rules = {p.access for p in PAGES} | {o.rule for o in OPERATIONS}
    unknown = []
    for rule in sorted(r for r in rules if r and r not in {PUBLIC, AUTHENTICATED}):
        app_label, _, codename = rule.partition(".")
        if not Permission.objects.filter(content_type__app_label=app_label,
                                         codename=codename).exists():
            unknown.append(rule)
    assert not unknown, f"rules naming no permission (a typo locks everyone out): {unknown}"


def test_profiles_table_names_real_permissions():
    for profile in roles.PROFILES.values():
        for dotted in profile.permissions:
            app_label, _, codename = dotted.partition(".")
            assert Permission.objects.filter(content_type__app_label=app_label,
                                             codename=codename).exists(), (profile.name, dotted)


def test_groups_hold_exactly_the_profiles_permissions():
    from django.contrib.auth.models import Group

    roles.sync_profiles()
    for profile in roles.PROFILES.values():
        group = Group.objects.get(name=profile.name)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert held == set(profile.permissions), profile.name


def test_api_is_importable():
    assert API_ERROR is None, f"{API_MODULE} could not be read: {API_ERROR}"


def test_every_api_operation_declares_its_rule():
    if not _api_exists():
        pytest.skip("no API yet")
    schema_ops = {(method, path) for path, ops in api_schema()["paths"].items()
                  for method in ops}
    ruled = {(o.method, o.path) for o in OPERATIONS}
    assert schema_ops == ruled, {"in the schema without a rule": schema_ops - ruled,
                                 "ruled but not in the schema": ruled - schema_ops}
    assert all(o.rule for o in OPERATIONS)


def test_openapi_schema_is_served():
    if not _api_exists():
        pytest.skip("no API yet")
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["paths"]


# == scope reference ============================================================================
@pytest.mark.parametrize("profile", PROFILES[1:])
def test_scope_functions_follow_the_profiles(profile):
    world = make_world(profile)
    me = world.visitor
    users = set(roles.users_in_scope(me, User.objects.all()))
    phones = set(roles.phones_in_scope(me, Phone.objects.all()))
    departments = set(roles.departments_in_scope(me, Department.objects.all()))
    if profile in {roles.ADMIN, SUPERUSER}:
        assert users == set(User.objects.all())
        assert phones == set(Phone.objects.all())
        assert departments == set(Department.objects.all())
    elif profile == "chef_de_service":
        assert users == {me, world.colleague}
        assert phones == {world.phones["own"], world.phones["colleague"]}
        assert departments == {world.sales}
    else:
        assert users == {me}
        assert phones == {world.phones["own"]}
        assert departments == {world.sales}


# == pages ====================================================================================
PAGE_CASES = [pytest.param(profile, page, id=_case_id(profile, page))
              for page in PAGES for profile in PROFILES]


def check_page(profile: str, page: Page):
    """GET the page as ``profile`` and check the answer against its rule; the response."""
    if not page.access:
        pytest.fail(f"{page} declares no access rule")
    world = make_world(profile)
    url = fill(page.url_template, page.params, world, whose_objects(page.access))
    client = client_for(world.visitor)
    response = client.get(url)
    expected = allowed(profile, page.access)
    if response.status_code == 405 and not expected:
        response = client.post(url)  # a POST-only page: the rule must still hold
    if not expected and profile == ANONYMOUS:
        assert is_signin_redirect(response), (url, response.status_code)
        assert "next=" in response["Location"]
    elif not expected:
        assert response.status_code == 403, (url, response.status_code)
    elif page.catch_all:
        assert response.status_code == 404, (url, response.status_code)
    elif page.access == PUBLIC and response.has_header("WWW-Authenticate"):
        # Open to the web, but with its own HTTP authentication (phone books for phones).
        assert response.status_code == 401, (url, response.status_code)
    else:
        assert response.status_code not in (401, 403, 404), (url, response.status_code)
        assert not is_signin_redirect(response), url
        assert response.status_code < 500
    return response


@pytest.mark.parametrize("profile,page", PAGE_CASES)
def test_page_access(profile, page):
    check_page(profile, page)


# Pages that read Asterisk's live state: once more against a running Asterisk, where they
# really talk to AMI (without one they say the state is unknown, checked above).
LIVE_PAGE_CASES = [pytest.param(profile, page, id=_case_id(profile, page))
                   for page in PAGES if page.name in {"phone-list", "phone-detail"}
                   for profile in PROFILES]


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("profile,page", LIVE_PAGE_CASES)
def test_live_page_access(asterisk, profile, page):
    response = check_page(profile, page)
    if response.status_code == 200:
        context = response.context
        assert not context.get("live_error"), context.get("live_error")
        if context.get("reg") is not None:  # Asterisk answered (the phone is not applied)
            assert not context["reg"].error, context["reg"]


SCOPED_PAGE_CASES = [
    pytest.param(profile, page, id=_case_id(profile, page))
    for page in PAGES for profile in PROFILES
    if page.access and profile != ANONYMOUS and allowed(profile, page.access)
    and page.access != PUBLIC
]
MARKERS = {"colleague": "Colleagueqx", "outsider": "Outsiderqx"}
# Pages that list every internal user by design, whatever the scope (seeds/002 "Annuaire":
# the directory shows all users with their extensions to everyone signed in).
SHOWS_EVERY_USER = {"directory"}


@pytest.mark.parametrize("profile,page", SCOPED_PAGE_CASES)
def test_page_scope(profile, page):
    """A page shows no object out of the visitor's scope, and opening one is refused."""
    world = make_world(profile)
    client = client_for(world.visitor)
    if page.params:
        for whose in ("colleague", "outsider"):
            objects = [world.object(kind_of(page.url_template, p), whose) for p in page.params]
            url = fill(page.url_template, page.params, world, whose)
            response = client.get(url)
            if response.status_code == 405:
                continue
            if all(in_scope(world.visitor, obj) for obj in objects):
                assert response.status_code not in (403, 404), (url, response.status_code)
            else:
                assert response.status_code in (403, 404), (url, response.status_code)
        return
    response = client.get(page.url_template)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return
    if page.name in SHOWS_EVERY_USER:
        return
    text = response.content.decode()
    for whose, marker in MARKERS.items():
        person = world.person(whose)
        visible = in_scope(world.visitor, person) or in_scope(world.visitor,
                                                              world.phones[whose])
        if not visible:
            assert marker not in text, f"{page} shows {whose} to {profile}"


# == API ======================================================================================
API_CASES = [pytest.param(profile, op, id=_case_id(profile, op))
             for op in OPERATIONS for profile in PROFILES]


def _call(client: Client, op: Operation, url: str):
    method = getattr(client, op.method)
    if op.method in {"post", "put", "patch"}:
        return method(url, {}, content_type="application/json")
    return method(url)


def _object_still_there(obj: Model) -> bool:
    return type(obj)._default_manager.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("profile,op", API_CASES)
def test_api_access(profile, op):
    world = make_world(profile)
    headers = {}
    if world.visitor is not None:
        headers["Authorization"] = f"Bearer {api_token(world.visitor)}"
    client = Client(headers=headers)
    expected = allowed(profile, op.rule)
    counts = {m: m._default_manager.count() for m in (User, Department, Phone)}
    whose = whose_objects(op.rule)
    objects = [world.object(kind_of(op.path, p), whose) for p in op.params]
    # A write the rule allows is sent to an id that does not exist (or with an empty body):
    # it must get past the permission check without changing anything.
    url = fill(op.path, op.params, world, whose, missing=op.writes and expected)
    response = _call(client, op, url)

    assert response.status_code < 500, (url, response.status_code, response.content)
    assert response["Content-Type"].startswith("application/json"), url
    if profile == ANONYMOUS and op.rule != PUBLIC:
        assert response.status_code == 401, (url, response.status_code)
    elif not expected:
        assert response.status_code == 403, (url, response.status_code, response.content)
    elif op.writes:
        assert response.status_code not in (401, 403), (url, response.status_code)
    else:
        assert response.status_code == 200, (url, response.status_code, response.content)
    if op.writes and (not expected or profile == ANONYMOUS):
        assert all(_object_still_there(obj) for obj in objects), url
        assert counts == {m: m._default_manager.count() for m in counts}, url


SCOPED_API_CASES = [pytest.param(profile, op, id=_case_id(profile, op))
                    for op in OPERATIONS for profile in PROFILES
                    if op.method == "get" and profile != ANONYMOUS
                    and allowed(profile, op.rule)]


@pytest.mark.parametrize("profile,op", SCOPED_API_CASES)
def test_api_scope(profile, op):
    """Lists hold exactly the objects in scope; reading one out of scope is 404."""
    world = make_world(profile)
    client = Client(headers={"Authorization": f"Bearer {api_token(world.visitor)}"})
    if op.params:
        for whose in ("own", "colleague", "outsider"):
            objects = [world.object(kind_of(op.path, p), whose) for p in op.params]
            url = fill(op.path, op.params, world, whose)
            response = client.get(url)
            if all(in_scope(world.visitor, obj) for obj in objects):
                assert response.status_code == 200, (whose, url, response.status_code)
            else:
                assert response.status_code in (403, 404), (whose, url, response.status_code)
        return
    response = client.get(op.path, {"page_size": 100})
    assert response.status_code == 200, response.content
    body = response.json()
    if isinstance(body, dict) and "items" not in body:
        return  # one settings object (GET /call-rights), not a list: nothing to scope
    items = body["items"] if isinstance(body, dict) else body
    kind = kind_of(op.path + "/{id}", "id")
    model = type(world.object(kind, "own"))
    expected = {obj.pk for obj in model._default_manager.all()
                if in_scope(world.visitor, obj)}
    assert {item["id"] for item in items} == expected, (kind, profile)


def test_revoked_forged_and_orphaned_tokens_are_refused():
    if not OPERATIONS or token_model() is None:
        pytest.skip("no API yet")
    from centrex.api import tokens

    user = make_user("alice", profile=roles.ADMIN)
    token, clear = tokens.issue(user, "script")
    reads = [o.path for o in OPERATIONS if o.method == "get" and not o.params]
    # An administrator's read (the users list when there is one; /agents/me is an agent's).
    url = next((path for path in reads if path.endswith("/users")), reads[0])
    auth = {"Authorization": f"Bearer {clear}"}
    assert Client(headers=auth).get(url).status_code == 200
    tokens.revoke(token)
    assert Client(headers=auth).get(url).status_code == 401
    for bad in ("cxt_" + "A" * 43, "not-a-token", clear[:-1], ""):
        assert Client(headers={"Authorization": f"Bearer {bad}"}).get(url).status_code == 401
    _, other = tokens.issue(user, "another")
    user.is_active = False
    user.save()
    assert Client(headers={"Authorization": f"Bearer {other}"}).get(url).status_code == 401


# == no way up ================================================================================
@pytest.mark.parametrize("profile", [p for p in PROFILES
                                     if p not in {ANONYMOUS, roles.ADMIN, SUPERUSER}])
def test_nobody_but_an_administrator_grants_profiles_or_touches_others(profile):
    """Their own account, through the pages or the API, is no way to become administrator;
    another user's personal token is no one else's to revoke."""
    world = make_world(profile)
    me = world.visitor
    before = set(me.groups.values_list("name", flat=True))
    api = Client(headers={"Authorization": f"Bearer {api_token(me)}"})
    response = api.patch(f"/api/v1/users/{me.pk}", {"profiles": [roles.ADMIN]},
                         content_type="application/json")
    assert response.status_code == 403, response.content
    page = client_for(me)
    if any(p.name == "user-edit" for p in PAGES):
        response = page.post(f"/manage/users/{me.pk}/edit/", {
            "username": me.username, "is_active": "on", "profiles": [roles.ADMIN]})
        assert response.status_code == 403
    me.refresh_from_db()
    assert set(me.groups.values_list("name", flat=True)) == before
    assert not me.is_superuser and not roles.is_admin(me)

    token = world.object("token", "colleague")
    revoke = next((p for p in PAGES if p.name == "api-token-revoke"), None)
    if revoke is not None:
        response = page.post(fill(revoke.url_template, revoke.params, world, "colleague"))
        assert response.status_code in (403, 404)
        token.refresh_from_db()
        assert token.revoked is None
