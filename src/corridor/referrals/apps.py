from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "corridor.referrals"
    label = "referrals"
    verbose_name = _("Referrals")

    def ready(self) -> None:
        from corridor.cases.selectors import CASE_ROLES
        from corridor.cases.services import CONSENT_WITHDRAWN_HOOKS
        from corridor.core.navigation import MenuItem, register_menu
        from corridor.core.seeding import register_seeder
        from corridor.referrals.seed import seed_providers
        from corridor.referrals.services import withdraw_on_consent_withdrawal

        CONSENT_WITHDRAWN_HOOKS.append(withdraw_on_consent_withdrawal)
        register_seeder(30, "directory", seed_providers)
        register_menu(MenuItem(_("Referrals"), "referrals:list", frozenset(CASE_ROLES), order=30))
