"""Print the current TOTP code of an account: the demo's stand-in for the phone app."""

import time

from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))


class Command(BaseCommand):
    help = _("Print the current two-factor code of an account (demo and tests only).")

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        if not settings.NODE.is_demo:
            raise CommandError(
                _(
                    "The %(node)s node is not a demo node: its two-factor codes come from each "
                    "user's own authenticator app, never from this command."
                )
                % {"node": settings.NODE_NAME}
            )
        authenticator = Authenticator.objects.filter(
            user__username=username, type=Authenticator.Type.TOTP
        ).first()
        if authenticator is None:
            raise CommandError(_("No authenticator is set up for %(user)s.") % {"user": username})
        self.stdout.write(current_code(decrypt(authenticator.data["secret"])))
