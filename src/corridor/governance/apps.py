from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class GovernanceConfig(AppConfig):
    name = "corridor.governance"
    label = "governance"
    verbose_name = _("Governance")

    def ready(self) -> None:
        from corridor.core.seeding import register_seeder
        from corridor.federation.registry import register_message_type, register_send_check
        from corridor.governance import agreements, framework, joint, panels, seeding

        register_send_check(agreements.check_send)
        register_message_type(joint.FIGURES_TYPE, joint.FIGURES_SCHEMA, joint.on_figures)
        register_message_type(
            framework.COMMITTEE_TYPE,
            framework.COMMITTEE_SCHEMA,
            framework.on_committee,
            label=_("Joint committee meeting"),
        )
        panels.register()
        register_seeder(15, gettext_noop("governance"), seeding.seed)
        register_seeder(
            98, gettext_noop("action plans, committee, logframe"), seeding.seed_framework
        )
        register_seeder(99, gettext_noop("joint picture"), seeding.seed_joint)
