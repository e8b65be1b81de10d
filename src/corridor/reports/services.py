"""Writes of reports: training records, privacy budgets and publications (each audited)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from corridor.accounts.models import Agency
from corridor.audit.models import Action
from corridor.audit.services import audit_record, node_text
from corridor.core.numbers import decimal
from corridor.reports import anonymise, dp
from corridor.reports.indicators import victim_records
from corridor.reports.models import (
    PrivacyBudget,
    Publication,
    PublicationKind,
    TrainingAttendance,
    TrainingSession,
)
from corridor.reports.publication_labels import default_title
from corridor.reports.selectors import PUBLISHERS, TRAINING_MANAGERS


def _require(actor, roles, message: str) -> None:
    if actor is not None and not actor.has_role(*roles):
        raise PermissionDenied(message)


@transaction.atomic
def training_session_create(
    *,
    actor,
    title: str,
    held_on: date,
    organiser: Agency,
    attendance: list[tuple[Agency, str, int]],
    topic: str = "",
    place: str = "",
) -> TrainingSession:
    """Record a training session and how many officials of each agency and sex it trained."""
    _require(
        actor, TRAINING_MANAGERS, _("Only a coordinator or an administrator records trainings.")
    )
    session = TrainingSession(
        title=title.strip(),
        topic=topic.strip(),
        held_on=held_on,
        country=organiser.country,
        place=place.strip(),
        organiser=organiser,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    session.full_clean()
    from django.utils import timezone

    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("A session is recorded once it has taken place.")})
    if not any(n for _a, _s, n in attendance):
        raise ValidationError(_("Record at least one official trained."))
    session.save()
    merged: dict[tuple[int, str], int] = {}
    for agency, sex, n in attendance:
        if n is None or n < 0:
            raise ValidationError(_("Numbers of officials must be whole numbers ≥ 0."))
        if n:
            merged[(agency.pk, sex)] = merged.get((agency.pk, sex), 0) + n
    for (agency_id, sex), n in merged.items():
        row = TrainingAttendance(session=session, agency_id=agency_id, sex=sex, count=n)
        row.full_clean(exclude=["session"])
        row.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        target=session,
        summary=session.title,
        detail={"trained": sum(merged.values())},
    )
    return session


_BUDGET_LOCK_KEY = 7_274_111  # PostgreSQL advisory lock serialising budget creation


@transaction.atomic
def privacy_budget_create(
    *, actor, name: str, epsilon_total: float, period_start: date, period_end: date
) -> PrivacyBudget:
    """A privacy budget for a period. Periods may not overlap: a second budget for the same
    days would reset what may be spent on the same persons."""
    _require(actor, PUBLISHERS, _("Only a coordinator manages privacy budgets."))
    if period_end < period_start:
        raise ValidationError(_("The period ends before it starts."))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_BUDGET_LOCK_KEY])
    overlapping = PrivacyBudget.objects.filter(
        period_start__lte=period_end, period_end__gte=period_start
    ).first()
    if overlapping is not None:
        raise ValidationError(
            _(
                "The period overlaps the budget “%(name)s” (%(start)s – %(end)s): a period can "
                "have only one privacy budget. Draw on that one, or choose days it does not cover."
            )
            % {
                "name": overlapping.name,
                "start": overlapping.period_start.isoformat(),
                "end": overlapping.period_end.isoformat(),
            }
        )
    budget = PrivacyBudget(
        name=name.strip(),
        epsilon_total=epsilon_total,
        period_start=period_start,
        period_end=period_end,
    )
    budget.full_clean()
    budget.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        target=budget,
        summary=budget.name,
        detail={"epsilon_total": epsilon_total},
    )
    return budget


SEX_CATEGORIES = {"Feminine": "female", "Masculine": "male"}


def _dimension(name: str):
    """(value of a victim, categories) for each breakdown a DP release can publish."""
    vocab = anonymise.ctdc_vocab()
    if name == "sex":
        return (
            lambda v: SEX_CATEGORIES.get(v.gender, "other or unknown"),
            ["female", "male", "other or unknown"],
        )
    if name == "age":
        return (lambda v: "child" if v.is_child else "adult"), ["child", "adult"]
    if name == "exploitation":
        labels = list(vocab["concatenated"].values())

        def primary(v):
            for form in v.exploitation:
                flag = vocab["exploitation"].get(form)
                if flag:
                    return vocab["concatenated"][flag]
            return "Unknown"

        return primary, [*labels, "Unknown"]
    if name == "citizenship":
        from corridor.flows.vocab import NATIONALITIES

        codes = [c for c in NATIONALITIES if c != "XX"]
        return (lambda v: v.citizenship if v.citizenship in codes else "other"), [*codes, "other"]
    if name == "status":
        return (lambda v: v.status), ["possible", "actual"]
    raise ValidationError(_("Unknown breakdown “%(d)s”.") % {"d": name})


DIMENSIONS = ("sex", "age", "exploitation", "citizenship", "status")


@transaction.atomic
def publication_dp_release(
    *, actor, budget: PrivacyBudget, dimension: str, epsilon: float, title: str = ""
) -> Publication:
    """Publish a differentially private count of identified victims (persons: a person with
    several cases counts once, so one person changes one count by one) broken down by one
    dimension. The budget row is locked so that two releases cannot both squeeze under it; a
    release beyond the remaining budget is refused and nothing is published."""
    _require(actor, PUBLISHERS, _("Only a coordinator publishes statistics."))
    budget = PrivacyBudget.objects.select_for_update().get(pk=budget.pk)
    if epsilon <= 0:
        raise ValidationError(_("ε must be positive."))
    if epsilon > budget.remaining + 1e-9:
        raise ValidationError(
            _("This release needs ε = %(e)s but only %(r)s is left in the budget “%(b)s”.")
            % {"e": decimal(epsilon, 4), "r": decimal(budget.remaining, 4), "b": budget.name}
        )
    value, categories = _dimension(dimension)
    victims = victim_records(actor, budget.period_start, budget.period_end) if actor else []
    victims = anonymise.one_per_person(victims)
    noisy = dp.dp_histogram([value(v) for v in victims], categories, epsilon=epsilon)
    publication = Publication(
        kind=PublicationKind.DP_COUNTS,
        title=title or default_title("dp", dimension),
        budget=budget,
        epsilon=epsilon,
        dimension=dimension,
        result={
            "counts": noisy,
            "period": [budget.period_start.isoformat(), budget.period_end.isoformat()],
        },
        published_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    publication.full_clean()
    publication.save()
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        target=publication,
        summary=node_text(lambda: title or default_title("dp", dimension)),
        detail={
            "epsilon": epsilon,
            "budget": budget.name,
            "remaining": round(budget.remaining - epsilon, 6),
        },
    )
    return publication


def ctdc_export(*, actor, start: date, end: date, k: int = anonymise.K) -> anonymise.Anonymised:
    """What a CTDC publication of the victims identified in the period contains, built from the
    cases ``actor`` may see: one record per person, k-anonymous over every published column."""
    _require(actor, PUBLISHERS, _("Only a coordinator publishes statistics."))
    if k < anonymise.K:
        raise ValidationError(_("k must be at least %(k)s.") % {"k": anonymise.K})
    victims = victim_records(actor, start, end) if actor else []
    result = anonymise.k_anonymise(victims, k=k)
    if (
        result.rows and result.smallest_group() < k
    ):  # the algorithm guarantees it; refuse rather than leak
        raise ValidationError(_("The export is not k-anonymous; nothing was published."))
    return result


@transaction.atomic
def publication_ctdc_export(
    *, actor, start: date, end: date, k: int = anonymise.K, title: str = ""
) -> Publication:
    """Publish the k-anonymous CTDC export of the victims identified in the period."""
    result = ctdc_export(actor=actor, start=start, end=end, k=k)
    publication = Publication(
        kind=PublicationKind.CTDC,
        title=title or default_title("ctdc", period=(start.isoformat(), end.isoformat())),
        k=k,
        result={
            "records": len(result.rows),
            "suppressed": result.suppressed,
            "blanked": list(result.blanked),
            "period": [start.isoformat(), end.isoformat()],
        },
        content=result.to_csv(),
        records=len(result.rows),
        published_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    publication.full_clean()
    publication.save()
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        target=publication,
        summary=node_text(
            lambda: title or default_title("ctdc", period=(start.isoformat(), end.isoformat()))
        ),
        detail={"k": k, "records": len(result.rows), "suppressed": result.suppressed},
    )
    return publication


@transaction.atomic
def ctdc_export_file(*, actor, start: date, end: date, k: int = anonymise.K) -> str:
    """The CSV a CTDC publication of the period would contain, for ``corridor reports ctdc``;
    audited as an export by ``actor`` (nothing is published)."""
    result = ctdc_export(actor=actor, start=start, end=end, k=k)
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="reports.ctdc",
        summary=node_text(
            gettext_noop("CTDC export %(start)s – %(end)s to a file"), start=start, end=end
        ),
        detail={"k": k, "records": len(result.rows), "suppressed": result.suppressed},
    )
    return result.to_csv()
