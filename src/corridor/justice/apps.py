from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JusticeConfig(AppConfig):
    name = "corridor.justice"
    label = "justice"
    verbose_name = _("Justice")

    def ready(self) -> None:
        from corridor.core.stats import register_stats_section
        from corridor.justice import panels
        from corridor.justice.glotip import prosecutions_section

        panels.register()
        register_stats_section("prosecutions", prosecutions_section)
