from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PbxConfig(AppConfig):
    name = "centrex.pbx"
    label = "pbx"
    verbose_name = _("Asterisk")
