from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class ReportsConfig(AppConfig):
    name = "corridor.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from corridor.core.seeding import register_seeder
        from corridor.core.stats import register_stats_section
        from corridor.reports import caseloads, panels, seeding

        panels.register()
        register_stats_section("caseloads", caseloads.node_caseloads)
        register_stats_section("smuggling", caseloads.node_smuggling)
        register_seeder(90, gettext_noop("reports"), seeding.seed)
