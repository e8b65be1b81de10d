from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class JusticeConfig(AppConfig):
    name = "corridor.justice"
    label = "justice"
    verbose_name = _("Justice")

    def ready(self) -> None:
        from corridor.core.seeding import register_seeder
        from corridor.core.stats import register_stats_section
        from corridor.governance.holds import register_legal_hold
        from corridor.justice import mla_messages, panels, seeding
        from corridor.justice.glotip import period_persons, prosecutions_section
        from corridor.justice.holds import victim_of_open_criminal_case
        from corridor.reports.indicators import register_justice_figures

        panels.register()
        mla_messages.register()
        register_legal_hold(victim_of_open_criminal_case)
        register_seeder(75, gettext_noop("justice"), seeding.seed)
        register_stats_section("prosecutions", prosecutions_section)
        register_justice_figures(period_persons)
