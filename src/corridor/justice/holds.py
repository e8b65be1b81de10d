"""The justice legal hold: a victim of a criminal case still open is kept whatever the retention
rule says, since the court may still call on them (registered from ``JusticeConfig.ready``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from corridor.justice.models import Outcome, Stage, VictimLink

FINAL_STAGES = (Stage.CLOSED, Stage.SENTENCED)


def criminal_case_open(criminal_case) -> bool:
    """Open while an accused is not dismissed, sentenced or judged without any conviction (an
    acquittal ends the chain); a case with no accused yet is open."""
    accused = list(criminal_case.accused.prefetch_related("charges"))
    if not accused:
        return True
    for one in accused:
        if one.stage in FINAL_STAGES:
            continue
        if one.stage == Stage.JUDGED and not any(
            c.outcome in (Outcome.CONVICTED, Outcome.PENDING) for c in one.charges.all()
        ):
            continue
        return True
    return False


def victim_of_open_criminal_case(*, person, case) -> str:
    links = VictimLink.objects.select_related("criminal_case")
    if case is not None:
        links = links.filter(case=case)
    elif person is not None:
        links = links.filter(case__person=person)
    else:
        return ""
    for link in links:
        if criminal_case_open(link.criminal_case):
            return _("victim in an open criminal case (%(ref)s)") % {"ref": link.criminal_case.ref}
    return ""
