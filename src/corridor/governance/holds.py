"""Legal holds: reasons a record must be kept whatever its retention rule says.

Other apps add theirs with ``register_legal_hold(fn)`` from their ``AppConfig.ready()`` (e.g.
justice: a person who is a victim or witness in open criminal proceedings). ``fn(*, person,
case)`` returns a short translated reason, or "" when it holds nothing; ``case`` may be None
(a screening without a case). Governance's own holds: criminal proceedings recorded on the
case, an open cross-border or in-country referral, an open tracing request about the person,
an open data-subject request.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

LEGAL_HOLDS: list[Callable] = []

OPEN_PROCEEDINGS = ("complaint", "investigation", "prosecution", "trial")


def register_legal_hold(hold: Callable) -> None:
    if hold not in LEGAL_HOLDS:
        LEGAL_HOLDS.append(hold)


def _proceedings(*, person, case) -> str:
    if case is not None and case.proceedings in OPEN_PROCEEDINGS:
        return _("criminal proceedings (%(stage)s)") % {"stage": case.get_proceedings_display()}
    return ""


def _referrals(*, person, case) -> str:
    from corridor.referrals.models import CrossBorderReferral, CrossBorderStatus, Referral

    if case is None:
        return ""
    if (
        CrossBorderReferral.objects.filter(case=case)
        .exclude(status__in=[CrossBorderStatus.CLOSED, CrossBorderStatus.DECLINED])
        .exists()
    ):
        return _("open cross-border referral")
    if Referral.objects.filter(
        case=case, status__in=[Referral.Status.SENT, Referral.Status.ACCEPTED]
    ).exists():
        return _("open referral")
    return ""


def _tracing(*, person, case) -> str:
    from corridor.tracing.models import RequestStatus, TracingRequest

    if person is None:
        return ""
    if (
        TracingRequest.objects.filter(matched_person=person)
        .exclude(status=RequestStatus.CLOSED)
        .exists()
    ):
        return _("open tracing request")
    return ""


def _subject_request(*, person, case) -> str:
    from corridor.governance.models import RequestStatus, SubjectRequest

    if (
        person is not None
        and SubjectRequest.objects.filter(person=person, status=RequestStatus.OPEN).exists()
    ):
        return _("open data-subject request")
    return ""


BUILT_IN = (_proceedings, _referrals, _tracing, _subject_request)


def holds_on(*, person, case) -> list[str]:
    """Every reason that holds this record (empty: retention may proceed)."""
    reasons = []
    for hold in (*BUILT_IN, *LEGAL_HOLDS):
        reason = hold(person=person, case=case)
        if reason:
            reasons.append(str(reason))
    return reasons
