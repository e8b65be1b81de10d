"""``corridor api_token USERNAME --node NODE``: the operator issues (or replaces) a user's API
token; the key is printed once, the audit records the operator and the token's prefix."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from corridor.accounts.models import User
from corridor.accounts.tokens import api_token_issue


class Command(BaseCommand):
    help = _("Issue a new API token for a member of staff (their earlier tokens stop working).")

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).select_related("agency").first()
        if user is None:
            raise CommandError(_("No user “%(u)s” on this node.") % {"u": username})
        try:
            key = api_token_issue(actor=None, user=user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(key)
