from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class FlowsConfig(AppConfig):
    name = "corridor.flows"
    label = "flows"
    verbose_name = _("Flow monitoring")

    def ready(self) -> None:
        from corridor.core.seeding import register_seeder
        from corridor.flows import panels, seeding

        panels.register()
        register_seeder(60, gettext_noop("flows"), seeding.seed)
