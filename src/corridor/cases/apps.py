from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "corridor.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from corridor.cases import panels, seed
        from corridor.core.seeding import register_seeder

        panels.register()
        register_seeder(40, "cases", seed.seed_cases)
