from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "centrex.api"
    label = "api"
    verbose_name = _("REST API")

    def ready(self) -> None:
        from centrex.api.models import ApiToken
        from centrex.core import audit

        # Creating and revoking a token is journaled; the hash never is, and using a token
        # (last_used) is not a change worth an entry.
        audit.audited(ApiToken, masked=("token_hash",), ignored=("last_used",))
