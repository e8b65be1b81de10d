from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "corridor.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from corridor.core.seeding import register_seeder
        from corridor.reports import panels, seeding

        panels.register()
        register_seeder(90, "reports", seeding.seed)
