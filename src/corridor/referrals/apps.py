from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class ReferralsConfig(AppConfig):
    name = "corridor.referrals"
    label = "referrals"
    verbose_name = _("Referrals")

    def ready(self) -> None:
        from corridor.cases.registry import register_case_panel, register_timeline_source
        from corridor.cases.services import CONSENT_WITHDRAWN_HOOKS
        from corridor.core.page_panels import Panel
        from corridor.core.seeding import register_seeder
        from corridor.referrals import case_page, cross_border, cross_border_messages, panels
        from corridor.referrals.seed import seed_cross_border, seed_providers, seed_referrals
        from corridor.referrals.services import withdraw_on_consent_withdrawal

        for hook in (withdraw_on_consent_withdrawal, cross_border.on_consent_withdrawn):
            if hook not in CONSENT_WITHDRAWN_HOOKS:
                CONSENT_WITHDRAWN_HOOKS.append(hook)
        cross_border_messages.register()
        panels.register()
        register_case_panel(
            "referrals", Panel("referrals/case_panel.html", case_page.referrals_panel, order=10)
        )
        register_timeline_source("referrals", case_page.referral_timeline)
        register_seeder(30, gettext_noop("directory"), seed_providers)
        register_seeder(43, gettext_noop("referrals"), seed_referrals)
        register_seeder(
            10, gettext_noop("cross-border referrals"), seed_cross_border, federated=True
        )
