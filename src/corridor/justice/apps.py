from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JusticeConfig(AppConfig):
    name = "corridor.justice"
    label = "justice"
    verbose_name = _("Justice")

    def ready(self) -> None:
        from corridor.justice import panels

        panels.register()
