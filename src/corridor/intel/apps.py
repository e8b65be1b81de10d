from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class IntelConfig(AppConfig):
    name = "corridor.intel"
    label = "intel"
    verbose_name = _("Intelligence")

    def ready(self) -> None:
        from corridor.accounts.models import Role
        from corridor.core.navigation import (
            JUSTICE,
            HomePanel,
            MenuItem,
            register_menu,
            register_panel,
        )
        from corridor.core.seeding import register_seeder
        from corridor.intel.demo import seed_intel
        from corridor.intel.selectors import AGGREGATE_READERS, intel_aggregates

        register_menu(
            MenuItem(
                _("Intelligence"),
                "intel:home",
                frozenset({Role.INVESTIGATOR}),
                order=40,
                group=JUSTICE,
            )
        )
        register_panel(
            HomePanel(
                "intel/panel_aggregates.html",
                frozenset(AGGREGATE_READERS),
                lambda request: {"intel": intel_aggregates(request.user)},
                order=40,
            )
        )
        register_seeder(60, gettext_noop("intel"), seed_intel)
        from corridor.intel import exchange

        exchange.register()
