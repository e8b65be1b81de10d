"""Seed the demo's agencies and staff accounts into this node (idempotent)."""

from __future__ import annotations

import base64
import hashlib
import hmac

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_noop

from corridor.accounts import services
from corridor.accounts.demo_data import AGENCIES, DEMO_PASSWORD, demo_accounts
from corridor.accounts.models import Agency, User


def demo_totp_secret(username: str) -> str:
    """A stable per-node secret so the printed demo secret stays valid across re-runs."""
    digest = hmac.new(settings.SECRET_KEY.encode(), username.encode(), hashlib.sha256).digest()
    return base64.b32encode(digest[:20]).decode()


@transaction.atomic
def seed_accounts() -> dict[str, int]:
    node = settings.NODE_NAME
    created_agencies = created_users = 0
    by_short = {}
    for short, name, org_type, city in AGENCIES[node]:
        agency = Agency.objects.filter(name=name).first()
        if agency is None:
            agency = services.agency_create(
                actor=None,
                name=name,
                short_name=short,
                country=settings.NODE_COUNTRY,
                org_type=org_type,
                city=city,
            )
            created_agencies += 1
        by_short[short] = agency
    for account in demo_accounts(node):
        user = User.objects.filter(username=account["username"]).first()
        if user is None:
            user = services.user_create(
                actor=None,
                username=account["username"],
                password=DEMO_PASSWORD,
                agency=by_short[account["agency"]],
                role=account["role"],
                first_name=account["first_name"],
                last_name=account["last_name"],
            )
            created_users += 1
        if (
            account["mfa"]
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            TOTP.activate(user, demo_totp_secret(user.username))
    return {gettext_noop("agencies"): created_agencies, gettext_noop("users"): created_users}
