from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class AccountsConfig(AppConfig):
    name = "corridor.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from corridor.accounts import signals  # noqa: F401
        from corridor.accounts.seed import seed_accounts
        from corridor.core.seeding import register_seeder

        register_seeder(10, gettext_noop("accounts"), seed_accounts)
