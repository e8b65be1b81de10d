"""``corridor retention run --node NODE [--dry-run]``: apply the retention rules (see
docs/governance.md); schedule it daily with cron or a systemd timer."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from corridor.core.numbers import colon
from corridor.governance.retention import retention_run


class Command(BaseCommand):
    help = _("Apply the retention rules: anonymise or erase what is due, keep what is held.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help=_("apply the rules now"))
        run.add_argument("--dry-run", action="store_true", help=_("count, change nothing"))

    def handle(self, *args, action, dry_run=False, **options):
        if action != "run":
            raise CommandError(_("Unknown action."))
        run = retention_run(dry_run=dry_run, progress=lambda line: self.stderr.write(line))
        counts = run.counts
        examined = counts["examined"]
        self.stdout.write(
            (_("Dry run: nothing changed.") + "\n" if dry_run else "")
            + ngettext("%(n)s record examined.", "%(n)s records examined.", examined)
            % {"n": examined}
        )
        for what, n in run.result_rows:
            self.stdout.write(f"  {what}{colon()} {n}")
        if not run.result_rows:
            self.stdout.write("  " + _("nothing was due"))
        for reason, n in sorted(counts["held"].items()):
            self.stdout.write("  " + _("held (%(reason)s): %(n)s") % {"reason": reason, "n": n})
        if run.interrupted:
            raise CommandError(_("Interrupted: run it again to finish."))
