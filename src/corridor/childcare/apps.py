from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class ChildcareConfig(AppConfig):
    name = "corridor.childcare"
    label = "childcare"
    verbose_name = _("Child's case in depth")

    def ready(self) -> None:
        from corridor.cases.models import ChildStep
        from corridor.cases.seed import BEFORE_CHILD_STEP
        from corridor.cases.services import APPROVAL_CHECKS, MOVE_CHECKS
        from corridor.childcare import governance, messages, panels, services
        from corridor.childcare.seed import prepare_return, seed
        from corridor.core.seeding import register_seeder

        for checks, check in (
            (MOVE_CHECKS, services.determination_move_check),
            (APPROVAL_CHECKS, services.determination_approval_check),
        ):
            if check not in checks:
                checks.append(check)
        panels.register()
        messages.register()
        governance.register()
        hooks = BEFORE_CHILD_STEP.setdefault(ChildStep.RETURN, [])
        if prepare_return not in hooks:
            hooks.append(prepare_return)
        register_seeder(42, gettext_noop("childcare"), seed)
