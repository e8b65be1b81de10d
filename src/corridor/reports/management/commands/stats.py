"""``corridor stats caseloads --node N [--json]``: the node's summary figures of a topic, from
the sections the capabilities register (``corridor.core.stats``): for ``caseloads``, persons by
caseload and by sex and age group, border hand-offs, hotline intakes and smuggled migrants. Only
aggregates, never a person."""

import json

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from corridor.core.stats import SECTIONS, stats_sections

TOPICS = {
    "caseloads": ["caseloads", "handoffs", "intakes", "smuggling"],
}
"""The sections each topic gathers; a section no installed app registers is left out."""


class Command(BaseCommand):
    help = _(
        "Summary figures of the node: `caseloads` prints persons by caseload and by sex and age "
        "group, border hand-offs, hotline intakes and smuggled migrants (`all`: every section)."
    )

    def add_arguments(self, parser):
        parser.add_argument("topic", choices=[*TOPICS, "all"])
        parser.add_argument("--json", dest="as_json", action="store_true", help="print JSON")

    def handle(self, *args, topic, as_json: bool = False, **options):
        names = list(SECTIONS) if topic == "all" else TOPICS[topic]
        figures = stats_sections(names)
        if as_json:
            self.stdout.write(_dumps(figures))
            return
        for name, section in figures.items():
            self.stdout.write(self.style.MIGRATE_HEADING(name))
            for key, value in section.items():
                self.stdout.write(f"  {key}: {_dumps(value, indent=None)}")
        if not figures:
            self.stdout.write(_("No figures registered for this topic."))


def _dumps(value, indent: int | None = 2) -> str:
    return json.dumps(value, indent=indent, ensure_ascii=False, sort_keys=False, default=str)
