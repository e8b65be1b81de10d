"""``corridor api_token USERNAME --node NODE``: issue (or replace) a user's API token."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from corridor.cases.management.commands._actor import actor_for
from corridor.core.api import api_token_issue


class Command(BaseCommand):
    help = "Issue a new API token for a member of staff (any earlier token stops working)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = actor_for(username, roles=())
        try:
            key = api_token_issue(actor=None, user=user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(key)
