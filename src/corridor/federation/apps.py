from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FederationConfig(AppConfig):
    name = "corridor.federation"
    label = "federation"
    verbose_name = _("Federation")

    def ready(self) -> None:
        from corridor.cases.services import CONSENT_WITHDRAWN_HOOKS
        from corridor.core.seeding import register_seeder
        from corridor.federation import panels, services

        if services.on_consent_withdrawn not in CONSENT_WITHDRAWN_HOOKS:
            CONSENT_WITHDRAWN_HOOKS.append(services.on_consent_withdrawn)
        panels.register()
        register_seeder(90, "federation", panels.seed_identity)
