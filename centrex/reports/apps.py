from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Call records, the call log, statistics and billing (docs/records.md)."""

    name = "centrex.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from centrex.core import audit, roles
        from centrex.pbx import events
        from centrex.reports.ingest import ingest_quietly
        from centrex.reports.models import RatePlan, ReportSettings
        from centrex.reports.rollup import fill_after_upgrade

        audit.audited(ReportSettings)
        audit.audited(RatePlan, ignored=("updated",))
        roles.extend_profile(roles.ADMIN, [
            "reports.change_reportsettings", "reports.view_queue_statistics",
            *(f"reports.{action}_rateplan" for action in ("add", "change", "delete", "view"))])
        roles.extend_profile("direction", ["reports.view_queue_statistics"])

        # Current to the second: what Asterisk appended is read every second, and at once
        # after a (re)connection (Asterisk restarted: its files may have rotated) — beside
        # the AMI events, never in their way.
        events.every(1, ingest_quietly, at_connect=True)
        # An upgraded database gets the totals and agent lines of its past records once.
        post_migrate.connect(fill_after_upgrade, sender=self)
