"""Versions of the node's match model, re-fitted on the reviewers' decisions, and which one
is in force."""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from corridor.audit.models import Action
from corridor.audit.services import audit_record, node_text
from corridor.tracing import ranking
from corridor.tracing.models import MatchModel
from corridor.tracing.selectors import ACTIVATE_ROLES, MODEL_ROLES, active_model, training_set

MIN_DECISIONS = 10
"""Retraining needs at least this many "match" and this many "no match" decisions in force.

With five folds each re-fit still learns from eight of each kind and each fold is judged on two
of each; below that one pair moves accuracy by more than five points, so the evaluation could not
tell a better model from a lucky split, and one reviewer's slip (a reviewed pair weighs five
unreviewed ones in ``train``) would move the weights on its own."""


def _require_retrainer(actor) -> None:
    """``actor`` None is the node's own command-line job (``corridor tracing_retrain``)."""
    if actor is not None and not actor.has_role(*MODEL_ROLES):
        raise PermissionDenied(
            _("Only a supervisor or a national coordinator can retrain the match model.")
        )


def _require_activator(actor) -> None:
    if actor is None or not actor.has_role(*ACTIVATE_ROLES):
        raise PermissionDenied(_("Only a national coordinator can put a match model in force."))


@transaction.atomic
def match_model_retrain(*, actor) -> MatchModel:
    """Re-fit the match model on the reviewers' decisions in force and store it as a new version,
    with its cross-validated numbers next to those of the model in force on the same pairs.

    The version is not put in force: people decide, looking at the numbers
    (``match_model_activate``). Refused, changing nothing, below ``MIN_DECISIONS`` matches or
    non-matches.
    """
    _require_retrainer(actor)
    left, right, decisions = training_set()
    matches = sum(d == "match" for d in decisions.values())
    non_matches = len(decisions) - matches
    if matches < MIN_DECISIONS or non_matches < MIN_DECISIONS:
        raise ValidationError(
            _(
                "Retraining needs at least %(n)s “match” and %(n)s “no match” decisions; "
                "reviewers have recorded %(matches)s and %(non_matches)s so far."
            )
            % {"n": MIN_DECISIONS, "matches": matches, "non_matches": non_matches},
            code="too_few_decisions",
        )
    in_force = MatchModel.objects.filter(is_active=True).first()
    evaluation = ranking.evaluate(
        left=left, right=right, decisions=decisions, baseline=active_model()
    )
    model = ranking.refit(left=left, right=right, decisions=decisions)
    new, old = evaluation["new"], evaluation["baseline"]
    version = MatchModel(
        parameters=json.loads(model.to_json()),
        created_by=actor,
        matches=matches,
        non_matches=non_matches,
        folds=evaluation["folds"],
        accuracy=new["accuracy"],
        f1=new["f1"],
        log_loss=new["log_loss"],
        baseline=in_force,
        baseline_accuracy=old["accuracy"],
        baseline_f1=old["f1"],
        baseline_log_loss=old["log_loss"],
    )
    version.full_clean()
    version.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        target=version,
        summary=node_text(gettext_noop("match model retrained")),
        detail={
            "matches": matches,
            "non_matches": non_matches,
            "folds": evaluation["folds"],
            "new": new,
            "in_force": {"version": in_force.pk if in_force else None, **old},
        },
        username="tracing_retrain",
    )
    return version


@transaction.atomic
def match_model_activate(*, actor, version: MatchModel | None) -> MatchModel | None:
    """Put ``version`` in force for the whole node (``None``: go back to the shipped model).

    The version in force is the one ranking and duplicate detection use from the next request
    on; scores stored for possible duplicates are refreshed by the next ``find_duplicates``.
    """
    _require_activator(actor)
    previous = MatchModel.objects.select_for_update().filter(is_active=True).first()
    if version is not None:
        version = MatchModel.objects.select_for_update().get(pk=version.pk)
    if previous == version:
        raise ValidationError(_("This model is already in force."), code="in_force")
    if previous is not None:
        previous.is_active = False
        previous.save(update_fields=["is_active"])
    if version is not None:
        version.is_active = True
        version.activated_at = timezone.now()
        version.activated_by = actor
        version.save(update_fields=["is_active", "activated_at", "activated_by"])
    audit_record(
        actor=actor,
        action=Action.TRANSITION,
        object_type=MatchModel._meta.label_lower,
        object_id=str(version.pk) if version else "",
        summary=(
            node_text(
                lambda: (
                    _("match model version %(n)s put in force") % {"n": version.pk}
                    if version
                    else _("shipped match model put back in force")
                )
            )
        ),
        detail={"from": previous.pk if previous else None, "to": version.pk if version else None},
    )
    return version
