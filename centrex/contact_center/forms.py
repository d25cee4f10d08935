"""Forms of the queue, pause-reason and contact-center settings pages
(docs/contact_center.md). The queue form follows seeds/002's field order first, then the
other queues.conf options call centers use."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from centrex.contact_center.models import (
    EMPTY_CONDITIONS,
    ContactCenterSettings,
    PauseReason,
    Queue,
)


class ConditionsField(forms.MultipleChoiceField):
    """queues.conf joinempty/leavewhenempty conditions as checkboxes, stored comma-joined."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(choices=EMPTY_CONDITIONS, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, str):
            return [v for v in value.split(",") if v]
        return value

    def clean(self, value) -> str:
        chosen = super().clean(value)
        return ",".join(v for v, _label in EMPTY_CONDITIONS if v in chosen)


class QueueForm(forms.ModelForm):
    join_empty = ConditionsField(
        label=_("Refuse new callers when"),
        help_text=_("Callers are then sent to the destination below at once."))
    leave_when_empty = ConditionsField(
        label=_("Send waiting callers away when"),
        help_text=_("Waiting callers then go to the destination below."))

    class Meta:
        model = Queue
        # seeds/002's form first: Nom, Descriptif, Musique d'attente, Annonce agent,
        # Distribution des appels, Temps de réflexion, fréquences et annonces.
        fields = ["name", "description", "music_on_hold", "agent_announcement", "strategy",
                  "wrapup_time", "announce_frequency", "min_announce_frequency",
                  "announce_holdtime", "announce_position",
                  "extension", "ring_time", "retry", "max_callers", "max_wait", "overflow",
                  "overflow_number", "schedule", "join_empty", "leave_when_empty", "service_level",
                  "record", "weight", "autopause"]
        help_texts = {
            "name": _("Letters, digits, “_” and “-”; also names the queue's profiles "
                      "(AG name: agents, SV name: supervisors)."),
            "music_on_hold": _("A music-on-hold class of Asterisk (musiconhold.conf)."),
            "agent_announcement": _("A sound file name without extension, e.g. beep."),
        }

    def __init__(self, *args, **kwargs) -> None:
        from centrex.ivr.sounds import music_choices

        super().__init__(*args, **kwargs)
        current = self.fields["music_on_hold"]
        self.fields["music_on_hold"] = forms.ChoiceField(
            label=current.label, help_text=_("Asterisk's default music, or a class of the "
                                             "Music on hold page."),
            choices=music_choices(self.instance.music_on_hold if self.instance.pk else ""))

    def clean_name(self) -> str:
        from centrex.contact_center.services import check_name

        name = self.cleaned_data["name"]
        check_name(name, self.instance)
        return name


class PauseReasonForm(forms.ModelForm):
    class Meta:
        model = PauseReason
        fields = ["name", "code", "active"]


class ContactCenterSettingsForm(forms.ModelForm):
    class Meta:
        model = ContactCenterSettings
        fields = ["recording_retention_days"]
