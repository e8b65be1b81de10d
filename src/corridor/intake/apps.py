from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class IntakeConfig(AppConfig):
    name = "corridor.intake"
    label = "intake"
    verbose_name = _("Intake: border hand-off and hotline")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from corridor.core.seeding import register_seeder
        from corridor.core.stats import register_stats_section
        from corridor.intake import panels, seed, signals, stats

        post_save.connect(
            signals.on_screening_saved,
            sender="screening.Screening",
            dispatch_uid="intake-handoff-screening",
        )
        post_save.connect(
            signals.on_submission_saved,
            sender="flows.Submission",
            dispatch_uid="intake-handoff-submission",
        )
        panels.register()
        register_seeder(70, gettext_noop("intake"), seed.seed)
        register_stats_section("handoffs", stats.handoff_figures)
        register_stats_section("intakes", stats.intake_figures)
