"""What a person reads for a shared figure's key (``caseloads.persons_by_caseload.returnee`` →
"Personnes en mouvement · par catégorie · Rapatrié"): each part by its label in the reader's
language, from the words below, the vocabularies and the choices of the records counted."""

from __future__ import annotations

from functools import cache

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

WORDS = {
    "caseloads": _("Persons on the move"),
    "persons": _("persons"),
    "persons_by_caseload": _("by caseload"),
    "persons_by_sex_and_age_group": _("by caseload, sex and age group"),
    "by_sex_age_group_and_citizenship": _("by sex, age group and citizenship"),
    "handoffs": _("Border hand-offs"),
    "total": _("total"),
    "waiting": _("waiting"),
    "median_hours": _("median hours to first action"),
    "p90_hours": _("90th percentile, hours"),
    "past_24h_waiting": _("waiting past 24 h"),
    "past_24h_answered": _("answered after 24 h"),
    "intakes": _("Hotline intakes"),
    "by_channel": _("by channel"),
    "by_outcome": _("by outcome"),
    "by_channel_and_outcome": _("by channel and outcome"),
    "smuggling": _("Smuggling of migrants"),
    "smuggled_migrants": _("smuggled migrants"),
    "by_sex": _("by sex"),
    "by_age_group": _("by age group"),
    "by_citizenship": _("by citizenship"),
    "nationals": _("nationals"),
    "cases_by_aggravating_circumstance": _("cases by aggravating circumstance"),
    "cases": _("cases"),
    "facts_recorded": _("facts recorded"),
    "endangered_life": _("life or safety endangered"),
    "inhuman_or_degrading_treatment": _("inhuman or degrading treatment"),
    "any_aggravating": _("any aggravating circumstance"),
    "prosecutions": _("Prosecutions"),
    "criminal_cases": _("criminal cases"),
    "accused_by_stage": _("accused by stage"),
    "charges_by_outcome": _("charges by outcome"),
    "childcare": _("Child protection"),
    "placements_current": _("children in placement"),
    "handovers": _("hand-overs"),
    "handovers_countersigned": _("hand-overs countersigned"),
    "follow_up_visits": _("follow-up visits"),
    "reintegrated_at_visit": _("reintegrated at the visit"),
    "indicators": _("Indicators (12 months)"),
    "identified": _("identified"),
    "referred": _("referred"),
    "returned": _("returned"),
    "reunified": _("reunified"),
    "followed_6m": _("followed at 6 months"),
    "reintegrated_6m": _("reintegrated at 6 months"),
    "reintegrated_12m": _("reintegrated at 12 months"),
    "followed_12m": _("followed at 12 months"),
    "cross_border": _("referred across the border"),
    "referrals": _("Cross-border referrals"),
    "sent_by_status": _("sent, by status"),
    "received_by_status": _("received, by status"),
    "days_to_decision_median": _("median days to the decision"),
    "days_to_return_median": _("median days to the return"),
    "victims_possible": _("possible victims"),
    "victims_actual": _("victims"),
    "children": _("children"),
    "assisted": _("assisted"),
    "assisted_by_service": _("assisted, by service"),
    "days_to_assistance_median": _("median days to assistance"),
    "days_to_assistance_mean": _("mean days to assistance"),
    "travellers": _("travellers"),
    "f": _("female"),
    "m": _("male"),
    "flows": _("Flows"),
    "by_direction": _("by direction"),
    "in": _("in"),
    "out": _("out"),
    "logframe": _("Results framework"),
    "female": _("female"),
    "male": _("male"),
    "unknown": _("unknown"),
    "child": _("children"),
    "adult": _("adults"),
    "open": _("open"),
}


@cache
def _choices(language: str) -> dict[str, str]:
    """Codes of the records counted (caseloads, services, statuses, stages, outcomes, channels)
    → label."""
    from corridor.core.vocab import vocabulary

    labels: dict[str, str] = {}
    for name in ("cases.caseload", "cases.support_type"):
        vocab = vocabulary(name)
        for code in vocab.codes():
            labels[code] = str(vocab.label(code))
    from corridor.intake.models import Channel, Intake
    from corridor.justice.models import Outcome, Stage
    from corridor.referrals.models import CrossBorderStatus

    for choices in (Stage, Outcome, CrossBorderStatus, Channel, Intake.Outcome):
        labels.update({value: str(label) for value, label in choices.choices})
    return labels


def known_label(part: str) -> str | None:
    """The label of one part of a figure's key in the reader's language, or None for a part
    no vocabulary names."""
    if part in WORDS:
        return str(WORDS[part])
    labels = _choices(get_language() or "fr")
    if part in labels:
        return labels[part]
    if len(part) == 2 and part.isupper():
        from corridor.core.countries import country_name

        return country_name(part)
    if part.isdigit():
        return part
    from corridor.governance.logframe import indicator

    item = indicator(part)
    if item is not None:
        return item["title"].get((get_language() or "fr")[:2]) or item["title"]["en"]
    return None


def part_label(part: str) -> str:
    """A part no vocabulary names (a figure added by a newer node) is shown as its code."""
    return known_label(part) or part.replace("_", " ")


def figure_label(key: str) -> str:
    return " · ".join(part_label(part) for part in key.split("."))
