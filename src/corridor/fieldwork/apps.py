from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldworkConfig(AppConfig):
    name = "corridor.fieldwork"
    label = "fieldwork"
    verbose_name = _("Field work without network")

    def ready(self) -> None:
        from corridor.fieldwork import odk, offline_forms, panels

        offline_forms.register()
        odk.register()
        panels.register()
