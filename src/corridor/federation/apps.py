from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class FederationConfig(AppConfig):
    name = "corridor.federation"
    label = "federation"
    verbose_name = _("Federation")

    def ready(self) -> None:
        from corridor.core.seeding import register_seeder
        from corridor.federation import checkpoints, panels, peers

        peers.register()
        checkpoints.register()
        panels.register()
        register_seeder(90, gettext_noop("federation"), panels.seed_identity)
