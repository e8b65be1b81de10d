"""``corridor stats caseloads --node N [--json]``: the node's summary figures of a topic, from
the sections the capabilities register (``corridor.core.stats``): for ``caseloads``, persons by
caseload and by sex and age group, border hand-offs, hotline intakes and smuggled migrants. Only
aggregates, never a person."""

import json

from django.core.management.base import BaseCommand
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from corridor.core.numbers import decimal
from corridor.core.stats import SECTIONS, stats_sections
from corridor.governance.figure_labels import figure_label, part_label
from corridor.i18n import labelled

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
        parser.add_argument("--json", dest="as_json", action="store_true", help=_("print JSON"))

    def handle(self, *args, topic, as_json: bool = False, **options):
        names = list(SECTIONS) if topic == "all" else TOPICS[topic]
        figures = stats_sections(names)
        if as_json:
            self.stdout.write(_dumps(figures))
            return
        for name, section in figures.items():
            self.stdout.write(self.style.MIGRATE_HEADING(capfirst(part_label(name))))
            for label, value in _readable(section):
                self.stdout.write(f"  {labelled(label)} {value}")
        if not figures:
            self.stdout.write(_("No figures registered for this topic."))


def _readable(section: dict, prefix: tuple[str, ...] = ()):
    """(label, value) lines of a section as a person reads them: each part of a figure's name
    by its label in the node's language ("par catégorie · Rapatrié : 12"), a breakdown's rows
    by their labelled fields, numbers as the language writes them."""
    for key, value in section.items():
        parts = (*prefix, str(key))
        if isinstance(value, dict):
            yield from _readable(value, parts)
        elif isinstance(value, list):
            for row in value:
                if isinstance(row, dict):
                    *fields, count = row.values()
                    yield (
                        capfirst(figure_label(".".join([*parts, *map(str, fields)]))),
                        _number(count),
                    )
        else:
            yield capfirst(figure_label(".".join(parts))), _number(value)


def _number(value) -> str:
    if isinstance(value, bool) or value is None:
        return "—" if value is None else str(value)
    if isinstance(value, int | float):
        return decimal(value, 0 if isinstance(value, int) else 1)
    return str(value)


def _dumps(value, indent: int | None = 2) -> str:
    return json.dumps(value, indent=indent, ensure_ascii=False, sort_keys=False, default=str)
