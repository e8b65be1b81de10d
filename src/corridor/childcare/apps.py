from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChildcareConfig(AppConfig):
    name = "corridor.childcare"
    label = "childcare"
    verbose_name = _("Child's case in depth")

    def ready(self) -> None:
        from corridor.childcare import governance, messages, panels
        from corridor.childcare.seed import seed
        from corridor.core.seeding import register_seeder

        panels.register()
        messages.register()
        governance.register()
        register_seeder(42, "childcare", seed)
