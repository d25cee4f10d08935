"""Forms of the core app: sign-in, password, voicemail PIN, users, departments, the journal
filters, the site settings and the import upload.

Forms that offer objects to choose from (departments, profiles) are given the acting user
and offer only what that user's scope allows; none of them saves anything that must
reach Asterisk: views hand their cleaned data to the services, which apply.
"""

from __future__ import annotations

import ipaddress
import itertools

from django import forms
from django.apps import apps
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from centrex.core import roles
from centrex.core.importexport import MAX_BYTES
from centrex.core.models import AuditEntry, Department, SiteSettings, User
from centrex.core.validators import parse_networks, validate_extension, validate_pin
from centrex.telephony.models import Phone


class SignInForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)


class PasswordChangeForm(forms.Form):
    current = forms.CharField(label=_("Current password"), strip=False,
                              widget=forms.PasswordInput)
    new = forms.CharField(label=_("New password"), strip=False, widget=forms.PasswordInput,
                          help_text=_("At least 12 characters; a sentence of a few words "
                                      "is a good password."))
    confirm = forms.CharField(label=_("New password again"), strip=False,
                              widget=forms.PasswordInput)

    def __init__(self, user, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_current(self) -> str:
        value = self.cleaned_data["current"]
        if not self.user.check_password(value):
            raise forms.ValidationError(_("This is not your current password."))
        return value

    def clean(self) -> dict:
        data = super().clean()
        new, confirm = data.get("new"), data.get("confirm")
        if new and confirm and new != confirm:
            self.add_error("confirm", _("The two passwords differ."))
        if new and data.get("current") and new == data["current"]:
            self.add_error("new", _("Choose a password different from the current one."))
        if new:
            try:
                password_validation.validate_password(new, self.user)
            except forms.ValidationError as exc:
                self.add_error("new", exc)
        return data


def easy_pin(pin: str) -> bool:
    """Repeated (1111) or consecutive (1234, 9876) digits: the first codes an intruder tries."""
    steps = {int(b) - int(a) for a, b in itertools.pairwise(pin)}
    return len(steps) == 1 and steps <= {-1, 0, 1}


class PinChangeForm(forms.Form):
    pin = forms.CharField(label=_("New voicemail PIN"), max_length=8,
                          validators=[validate_pin], widget=forms.PasswordInput,
                          help_text=_("4 to 8 digits, typed on the phone keypad."))
    confirm = forms.CharField(label=_("New PIN again"), max_length=8,
                              widget=forms.PasswordInput)

    def __init__(self, user, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict:
        data = super().clean()
        pin, confirm = data.get("pin"), data.get("confirm")
        if not pin:
            return data
        if confirm is not None and pin != confirm:
            self.add_error("confirm", _("The two PINs differ."))
        elif easy_pin(pin):
            self.add_error("pin", _("This PIN is too easy to guess (repeated or consecutive "
                                    "digits)."))
        elif self.user.phones.filter(extension=pin).exists():
            self.add_error("pin", _("The PIN cannot be your extension number."))
        return data


# -- users ---------------------------------------------------------------------------------
class UserForm(forms.ModelForm):
    """A user, their profiles, and — when creating — a first password and a phone."""

    profiles = forms.MultipleChoiceField(
        label=_("Profiles"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("What the user may see and do beyond their own data."),
    )
    give_password = forms.BooleanField(
        label=_("Give a first password"), required=False, initial=True,
        help_text=_("Shown once after saving; the user changes it at the first sign-in. "
                    "Without it, the account cannot sign in until you give one."),
    )
    extension = forms.CharField(
        label=_("Extension number"), required=False, max_length=10, validators=[validate_extension],
        help_text=_("Fill in to give the user a phone with this number (optional)."),
    )
    phone_name = forms.CharField(
        label=_("Caller name"), required=False, max_length=80,
        help_text=_("Shown to the people the phone calls; the user's name if empty."),
    )
    creation_only = ("give_password", "extension", "phone_name")

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "department", "is_active",
                  "outbound_caller_id"]
        labels = {"username": _("User name"), "email": _("Email"), "is_active": _("Active")}
        help_texts = {
            "username": _("Used to sign in: letters, digits and @ . + - _ only."),
            "is_active": _("Untick to stop the account from signing in without deleting it."),
        }

    def __init__(self, actor: User, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.creating = self.instance.pk is None
        self.phone: Phone | None = None
        self.fields["department"].queryset = roles.departments_in_scope(
            actor, Department.objects.all())
        self.fields["profiles"].choices = roles.offered_profiles()
        if not self.creating:
            for name in self.creation_only:
                del self.fields[name]
            self.initial["profiles"] = list(self.instance.groups.values_list("name", flat=True))
        if not roles.is_admin(actor):  # only an administrator hands out profiles
            del self.fields["profiles"]

    @property
    def fieldsets(self) -> list[tuple[str, list]]:
        """Fields grouped for the page: the account, then the phone to create with it."""
        names = [n for n in self.fields if n not in self.creation_only]
        sets = [(gettext("Account"), [self[n] for n in names])]
        if self.creating:
            sets.append((gettext("Sign-in"), [self["give_password"]]))
            sets.append((gettext("Phone"), [self["extension"], self["phone_name"]]))
        return sets

    def clean(self) -> dict:
        data = super().clean()
        if self.instance.pk == self.actor.pk:
            self._check_not_locking_out(data)
        if self.creating and data.get("extension"):
            self._check_phone(data)
        return data

    def _check_not_locking_out(self, data: dict) -> None:
        if not data.get("is_active", True):
            self.add_error("is_active", _("You cannot deactivate your own account."))
        if ("profiles" in self.fields and roles.ADMIN in self.initial.get("profiles", ())
                and roles.ADMIN not in data.get("profiles", ())):
            self.add_error("profiles", _("You cannot remove your own administrator profile."))

    def _check_phone(self, data: dict) -> None:
        if not self.actor.has_perm("telephony.add_phone"):
            self.add_error("extension", _("Your profile may not create phones."))
            return
        full_name = f"{data.get('first_name', '')} {data.get('last_name', '')}".strip()
        phone = Phone(extension=data["extension"],
                      name=data.get("phone_name") or full_name or data.get("username", ""))
        phone.set_sip_password()  # checked like the real one; a new one is made on saving
        try:
            phone.full_clean(exclude=["user"])
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                self.add_error({"name": "phone_name"}.get(field, "extension"), errors)
            return
        self.phone = phone


class UserDeleteForm(forms.Form):
    with_phones = forms.BooleanField(
        label=_("Delete their phones too"), required=False, initial=True,
        help_text=_("Otherwise the phones stay, without a user, and can be given to "
                    "someone else."),
    )


# -- departments ---------------------------------------------------------------------------
class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = ["name", "outbound_caller_id"]
        error_messages = {"name": {"unique": _("A department with this name exists.")}}


# -- journal -------------------------------------------------------------------------------
ACTION_LABELS = {
    "create": _("creation"),
    "update": _("change"),
    "delete": _("deletion"),
    "sign_in": _("sign-in"),
    "sign_in_failed": _("failed sign-in"),
    "sign_in_locked": _("sign-in locked"),
    "secret_regenerated": _("SIP secret regenerated"),
    "profiles_changed": _("profiles changed"),
    "import": _("import"),
    "export": _("export"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def object_type_label(label: str) -> str:
    """``core.User`` → "User" (the model's name in the current language)."""
    if not label:
        return ""
    try:
        return capfirst(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


def check_date_range(form: forms.Form, data: dict) -> dict:
    """A filter form's ``since``/``until``: an end before the start is the user's mistake,
    said on the field, rather than an empty list that looks like "nothing happened"."""
    since, until = data.get("since"), data.get("until")
    if since and until and since > until:
        form.add_error("until", _("The end date is before the start date."))
    return data


class JournalFilterForm(forms.Form):
    """The journal's filters (a GET form: a filtered page can be bookmarked and shared)."""

    actor = forms.CharField(label=_("Who"), required=False, max_length=150)
    action = forms.ChoiceField(label=_("Action"), required=False)
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    source = forms.ChoiceField(
        label=_("Source"), required=False,
        choices=[("", "—"), *AuditEntry.Source.choices])
    since = forms.DateField(label=_("Since"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        entries = AuditEntry.objects.order_by()
        actions = entries.values_list("action", flat=True).distinct()
        types = entries.exclude(object_type="").values_list("object_type", flat=True).distinct()
        self.fields["action"].choices = [("", "—"), *sorted(
            ((a, action_label(a)) for a in actions), key=lambda c: c[1])]
        self.fields["object_type"].choices = [("", "—"), *sorted(
            ((t, object_type_label(t)) for t in types), key=lambda c: c[1])]

    def clean(self) -> dict:
        return check_date_range(self, super().clean())

    def apply(self, queryset: QuerySet) -> QuerySet:
        data = self.cleaned_data
        lookups = {
            "actor_name__icontains": data.get("actor"), "action": data.get("action"),
            "object_type": data.get("object_type"), "source": data.get("source"),
            "at__date__gte": data.get("since"), "at__date__lte": data.get("until"),
        }
        return queryset.filter(**{k: v for k, v in lookups.items() if v})


# -- site settings -------------------------------------------------------------------------
class SiteSettingsForm(forms.ModelForm):
    class Meta:
        model = SiteSettings
        fields = ["admin_networks"]
        widgets = {"admin_networks": forms.Textarea(attrs={"rows": 5, "cols": 40})}

    def __init__(self, address: str, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.address = address

    def clean_admin_networks(self) -> str:
        """Refuse networks that leave out the administrator's own address: saving them would
        shut the administrator out of the page that can undo it."""
        text = self.cleaned_data["admin_networks"]
        networks = parse_networks(text)
        try:
            own = ipaddress.ip_address(self.address)
        except ValueError:
            return text
        if networks and not any(own in n for n in networks):
            raise ValidationError(
                _("Your own address (%(address)s) is not in these networks: you would lose "
                  "access to these pages. Add it first."),
                code="locks_out", params={"address": self.address})
        return "\n".join(line.strip() for line in text.splitlines() if line.strip())


# -- import --------------------------------------------------------------------------------
class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_("The columns of the export; one line per phone, the user's columns "
                    "repeated for a user with several phones."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def clean_file(self):
        """Refuse a big file before reading it into memory."""
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise ValidationError(_("The file is too big (%(max)s MB at most)."),
                                  code="too_big", params={"max": MAX_BYTES // (1024 * 1024)})
        return upload
