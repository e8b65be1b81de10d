"""The user a command acts as: named explicitly, so that its writes are audited against a person."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def actor_for(username: str, *, roles: tuple[str, ...] = ("coordinator",)):
    from corridor.accounts.models import User

    user = User.objects.filter(username=username).select_related("agency").first()
    if user is None:
        raise CommandError(_("No user “%(u)s” on this node.") % {"u": username})
    if roles and not user.has_role(*roles):
        raise CommandError(
            _("“%(u)s” is not a national coordinator of this node.") % {"u": username}
        )
    return user
