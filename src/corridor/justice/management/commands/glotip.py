"""``corridor glotip --node N --year Y [--json] [--csv FILE] [--xlsx FILE]`` (also reached as
``corridor reports glotip``): the node's GLOTIP tables of the year, in persons, audited as an
export. Aggregates only."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from corridor.audit.models import Action
from corridor.audit.services import audit_record
from corridor.justice.glotip import CATEGORIES, MEASURES, glotip_csv, glotip_tables, glotip_xlsx


class Command(BaseCommand):
    help = _(
        "GLOTIP tables of one year: persons in contact with the police, prosecuted, convicted."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None)
        parser.add_argument("--json", dest="as_json", action="store_true")
        parser.add_argument("--csv", dest="csv_path")
        parser.add_argument("--xlsx", dest="xlsx_path")

    def handle(self, *args, year=None, as_json=False, csv_path=None, xlsx_path=None, **options):
        import json

        year = year or timezone.localdate().year
        if not 1990 <= year <= 2100:
            raise CommandError(_("“%(y)s” is not a year.") % {"y": year})
        tables = glotip_tables(year)
        with transaction.atomic():
            audit_record(
                actor=None,
                username="cli",
                action=Action.EXPORT,
                object_type="justice.glotip",
                summary=f"GLOTIP {year}",
            )
        if csv_path:
            Path(csv_path).write_text(glotip_csv(tables), encoding="utf-8")
        if xlsx_path:
            Path(xlsx_path).write_bytes(glotip_xlsx(tables))
        if as_json:
            self.stdout.write(json.dumps(tables, ensure_ascii=False, indent=2))
            return
        for category in CATEGORIES:
            for measure in MEASURES:
                self.stdout.write(
                    f"{category:12} {measure:11} {tables[category][measure]['total']}"
                )
