from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class ScreeningConfig(AppConfig):
    name = "corridor.screening"
    label = "screening"
    verbose_name = _("Screening")

    def ready(self) -> None:
        from corridor.core.seeding import register_seeder
        from corridor.screening import panels, seed

        panels.register()
        register_seeder(45, gettext_noop("screening"), seed.seed_screenings)
