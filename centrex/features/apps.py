from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeaturesConfig(AppConfig):
    """Hot desking, conference rooms and call parking (docs/features.md)."""

    name = "centrex.features"
    label = "features"
    verbose_name = _("Shared features")
