"""Retraining the match model on the reviewers' decisions: what it learns from, what it refuses,
who puts a version in force, and that ranking and duplicate detection follow the version in force.
"""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from corridor.audit.models import AuditEntry
from corridor.core.navigation import menu_for
from corridor.intel.services import judgement_record
from corridor.matching.model import Model, default_model
from corridor.tracing import ranking, services
from corridor.tracing.models import MatchModel
from corridor.tracing.selectors import active_model, ranked_candidates, training_set
from tests.permissions import check_matrix
from tests.tracing.conftest import REQUEST, make_child

pytestmark = pytest.mark.django_db

FAMILIES = [
    "Mensah", "Agbeko", "Adjovi", "Lawson", "Amouzou", "Tchalla", "Kpodar", "Sossou",
    "Dossou", "Akakpo", "Gbeassor", "Attiogbe", "Kouevi", "Bawa", "Essowe", "Tchakei",
    "Ouro", "Sama", "Djobo", "Issifou", "Kombate", "Lare", "Nabine", "Yendoube",
]  # fmt: skip
GIVEN = {
    "F": ["Akuvi", "Afi", "Ama", "Abla", "Essi", "Kafui", "Sena", "Yawa", "Dzifa", "Mawuena"],
    "M": ["Kossi", "Kodjo", "Komi", "Yao", "Koffi", "Kwami", "Koku", "Mawuli", "Selom", "Atsu"],
}
BAPTISED = {
    "F": ["Grâce", "Marie", "Rose", "Esther", "Judith", "Prisca"],
    "M": ["Jean", "Paul", "Pierre", "Joseph", "Michel", "Prosper"],
}
MOTHERS = ["Adzo", "Akossiwa", "Ayele", "Kayi", "Mawussi", "Dede", "Enyonam", "Fafa"]
PLACES = [
    ("Kpalimé", "Kloto"),
    ("Aného", "Lacs"),
    ("Sokodé", "Tchaoudjo"),
    ("Dapaong", "Tône"),
    ("Atakpamé", "Ogou"),
    ("Tsévié", "Zio"),
]
PAIRS = 12


def _request(actor, **fields):
    return services.tracing_request_create(actor=actor, **{**REQUEST, "father_name": "", **fields})


def _renamed(actor, i):
    """A child registered under her baptismal name where the family wrote her day or Ewe name,
    everything else agreeing: the default model doubts it (a different given name weighs
    heavily), reviewers confirm it."""
    family, (place, prefecture) = FAMILIES[i], PLACES[i % len(PLACES)]
    sex = "F" if i % 2 == 0 else "M"
    mother = f"{MOTHERS[i % len(MOTHERS)]} {family}"
    child, _case = make_child(
        actor,
        given=BAPTISED[sex][i // 2 % len(BAPTISED[sex])],
        family=family,
        gender="Feminine" if sex == "F" else "Masculine",
        birth_year=2008 + i % 8,
        place=place,
        prefecture=prefecture,
        mother=mother,
    )
    request = _request(
        actor,
        given_names=GIVEN[sex][i % 10],
        family_name=family.upper(),
        sex=sex,
        birth_year=2008 + i % 8,
        place_of_origin=place,
        origin_prefecture=prefecture,
        mother_name=mother,
    )
    return request, child


def _namesake(actor, i):
    """Same given and family name and year, but from another prefecture: the default model gives
    it a chance, reviewers say it is another child."""
    family = FAMILIES[PAIRS + i]
    sex = "F" if i % 2 == 0 else "M"
    given = GIVEN[sex][(i + 2) % 10]
    place, prefecture = PLACES[(i + 3) % len(PLACES)]
    home, home_prefecture = PLACES[i % len(PLACES)]
    child, _case = make_child(
        actor,
        given=given,
        family=family,
        gender="Feminine" if sex == "F" else "Masculine",
        birth_year=2008 + i % 8,
        place=place,
        prefecture=prefecture,
        mother=f"{MOTHERS[(i + 3) % len(MOTHERS)]} {family}",
    )
    request = _request(
        actor,
        given_names=given,
        family_name=family.upper(),
        sex=sex,
        birth_year=2008 + i % 8,
        place_of_origin=home,
        origin_prefecture=home_prefecture,
        mother_name=f"{MOTHERS[(i + 5) % len(MOTHERS)]} {family}",
    )
    return request, child


@pytest.fixture
def reviewed(caseworker):
    """Twelve confirmed matches and twelve rejected namesakes in the judgement log."""
    matches, rejected = [], []
    for i in range(PAIRS):
        request, child = _renamed(caseworker, i)
        judgement_record(actor=caseworker, left=request, right=child, decision="positive")
        matches.append((request, child))
        request, child = _namesake(caseworker, i)
        judgement_record(actor=caseworker, left=request, right=child, decision="negative")
        rejected.append((request, child))
    return {"matches": matches, "rejected": rejected}


def _probability(user, request, child, model: Model, *, among: bool = False) -> float:
    """The pair's probability under ``model``; ``among``: among the node's other open requests
    and the other children, as the request page ranks it (``ranking.among_rivals``)."""
    from corridor.matching.features import prepare
    from corridor.tracing.selectors import open_requests_context

    query = request.as_record()
    found = ranking.person_record(child)
    rivals = None
    if among:
        others = open_requests_context().exclude(pk=request.pk)
        rivals = [prepare(record=r.as_record(), side="left") for r in others]
    levels = ranking.rank(
        query=query,
        pool=[found],
        model=model,
        floor=0.0,
        rivals=rivals,
        requests=len(rivals or ()) + 1,
    )
    assert [r.record_id for r in levels] == [str(child.pk)]
    return levels[0].probability


def _version(model: Model, *, actor=None) -> MatchModel:
    """A stored version with given weights (for tests of what the version in force changes)."""
    numbers = dict(accuracy=0.9, f1=0.9, log_loss=0.3)
    baseline = {f"baseline_{k}": v for k, v in numbers.items()}
    return MatchModel.objects.create(
        parameters=json.loads(model.to_json()),
        created_by=actor,
        matches=10,
        non_matches=10,
        folds=5,
        **numbers,
        **baseline,
    )


def _shifted(by: float) -> Model:
    shipped = default_model()
    return Model(weights=dict(shipped.weights), intercept=shipped.intercept + by)


# --- what training learns from ---------------------------------------------------------------


def test_training_moves_the_weights_toward_the_decisions(people, reviewed):
    before = AuditEntry.objects.count()
    version = services.match_model_retrain(actor=people["supervisor"])
    assert (version.matches, version.non_matches, version.folds) == (PAIRS, PAIRS, 5)
    assert not version.is_active and version.baseline is None
    assert version.created_by == people["supervisor"]
    model, shipped = version.as_model(), default_model()
    # Reviewers confirmed children known by another given name: that costs less now.
    assert model.weight("given", "different") > shipped.weight("given", "different")
    user = people["caseworker"]
    for request, child in reviewed["matches"]:
        assert _probability(user, request, child, model) > _probability(
            user, request, child, shipped
        )
    for request, child in reviewed["rejected"]:
        assert _probability(user, request, child, model) < _probability(
            user, request, child, shipped
        )
    # Cross-validated on the reviewed pairs, the new version beats the shipped model there.
    assert version.log_loss < version.baseline_log_loss
    assert version.accuracy >= version.baseline_accuracy
    assert version.not_worse
    entry = AuditEntry.objects.order_by("-seq").first()
    assert AuditEntry.objects.count() == before + 1
    assert (entry.action, entry.object_type, entry.object_id) == (
        "create",
        "tracing.matchmodel",
        str(version.pk),
    )
    assert entry.detail["matches"] == PAIRS and entry.detail["in_force"]["version"] is None


def test_only_the_decision_in_force_counts(people, reviewed):
    worker = people["caseworker"]
    unsure = reviewed["matches"][:2]
    for request, child in unsure:
        judgement_record(actor=worker, left=request, right=child, decision="unsure")
    flipped_request, flipped_child = reviewed["rejected"][0]
    judgement_record(actor=worker, left=flipped_request, right=flipped_child, decision="positive")
    # A decision on two people (duplicate review) is not a tracing decision.
    a, b = reviewed["matches"][5][1], reviewed["matches"][6][1]
    judgement_record(actor=worker, left=a, right=b, decision="negative")

    _left, _right, decisions = training_set()
    key = (f"R{flipped_request.pk}", str(flipped_child.pk))
    assert decisions[key] == "match"
    for request, child in unsure:
        assert (f"R{request.pk}", str(child.pk)) not in decisions
    assert sorted(decisions.values()).count("match") == PAIRS - 2 + 1
    assert len(decisions) == 2 * PAIRS - 2

    version = services.match_model_retrain(actor=people["coordinator"])
    assert (version.matches, version.non_matches) == (PAIRS - 1, PAIRS - 1)


def test_too_few_decisions_is_refused_and_changes_nothing(people, reviewed):
    worker = people["caseworker"]
    for request, child in reviewed["matches"][: PAIRS - services.MIN_DECISIONS + 1]:
        judgement_record(actor=worker, left=request, right=child, decision="negative")
    audit = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.match_model_retrain(actor=people["supervisor"])
    assert refused.value.error_list[0].code == "too_few_decisions"
    assert MatchModel.objects.count() == 0
    assert AuditEntry.objects.count() == audit
    with pytest.raises(CommandError):
        call_command("tracing_retrain")
    assert MatchModel.objects.count() == 0


def test_nobody_else_retrains(people):
    for role in ("caseworker", "border_officer", "investigator", "partner", "administrator"):
        with pytest.raises(PermissionDenied):
            services.match_model_retrain(actor=people[role])
    with pytest.raises(PermissionDenied):
        services.match_model_retrain(actor=people["other_country.coordinator"])


# --- putting a version in force --------------------------------------------------------------


def test_activation_keeps_one_version_in_force(people):
    coordinator = people["coordinator"]
    first, second = _version(_shifted(1.0)), _version(_shifted(-1.0))
    assert active_model() == default_model()

    services.match_model_activate(actor=coordinator, version=first)
    assert active_model().intercept == first.as_model().intercept
    services.match_model_activate(actor=coordinator, version=second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.is_active, second.is_active) == (False, True)
    assert second.activated_by == coordinator and second.activated_at is not None
    assert active_model().intercept == second.as_model().intercept

    with pytest.raises(ValidationError) as again:
        services.match_model_activate(actor=coordinator, version=second)
    assert again.value.error_list[0].code == "in_force"

    services.match_model_activate(actor=coordinator, version=None)
    assert not MatchModel.objects.filter(is_active=True).exists()
    assert active_model() == default_model()
    changes = AuditEntry.objects.filter(object_type="tracing.matchmodel", action="transition")
    assert [e.detail for e in changes.order_by("seq")] == [
        {"from": None, "to": first.pk},
        {"from": first.pk, "to": second.pk},
        {"from": second.pk, "to": None},
    ]


def test_only_a_national_coordinator_puts_a_version_in_force(people):
    version = _version(_shifted(1.0))
    for role in ("supervisor", "caseworker", "other_country.coordinator"):
        with pytest.raises(PermissionDenied):
            services.match_model_activate(actor=people[role], version=version)
    with pytest.raises(PermissionDenied):
        services.match_model_activate(actor=None, version=version)
    version.refresh_from_db()
    assert not version.is_active


# --- ranking and duplicate detection follow the version in force -----------------------------


def test_rank_uses_the_version_in_force(people, child, tracing_request):
    user = people["caseworker"]
    shipped = ranked_candidates(user, tracing_request)[0]
    version = _version(_shifted(-4.0))
    services.match_model_activate(actor=people["coordinator"], version=version)
    lowered = ranked_candidates(user, tracing_request)[0]
    assert lowered["person"] == shipped["person"]
    assert lowered["probability"] < shipped["probability"]
    expected = _probability(user, tracing_request, child[0], version.as_model(), among=True)
    assert lowered["probability"] == pytest.approx(expected)


def test_duplicate_detection_uses_the_version_in_force(people):
    from corridor.tracing.models import DuplicateCandidate

    worker = people["caseworker"]
    make_child(worker, given="Kossi", family="Agbeko", gender="Masculine", mother="Ama Agbeko")
    make_child(worker, given="Kwasi", family="Agbeko", gender="Masculine", mother="Ama Agbeko")
    services.match_model_activate(actor=people["coordinator"], version=_version(_shifted(-30)))
    assert services.duplicates_find()["new_candidates"] == 0
    services.match_model_activate(actor=people["coordinator"], version=None)
    assert services.duplicates_find()["new_candidates"] == 1
    assert DuplicateCandidate.objects.count() == 1


# --- the page, the menu and the command ------------------------------------------------------

MANAGERS = {"supervisor", "coordinator"}
ACTIVATORS = {"coordinator"}


def test_permission_matrix(people):
    """The model is the node's, not an agency's: another agency's managers get the same answer."""
    version = _version(_shifted(1.0))
    assert check_matrix(reverse("tracing:models"), people, MANAGERS) == []
    assert check_matrix(reverse("tracing:model_retrain"), people, MANAGERS, method="post") == []
    assert MatchModel.objects.count() == 1  # too few decisions: refused, nothing stored
    for url in (
        reverse("tracing:model_activate", args=[version.pk]),
        reverse("tracing:model_shipped"),
    ):
        assert check_matrix(url, people, ACTIVATORS, method="post") == []


def test_page_shows_the_versions_and_activation_to_coordinators(people, as_user):
    version = _version(_shifted(1.0))
    activate = reverse("tracing:model_activate", args=[version.pk])
    page = as_user(people["coordinator"]).get(reverse("tracing:models"))
    assert page.status_code == 200 and activate in page.content.decode()
    page = as_user(people["supervisor"]).get(reverse("tracing:models"))
    assert page.status_code == 200 and activate not in page.content.decode()
    assert reverse("tracing:model_retrain") in page.content.decode()

    response = as_user(people["coordinator"]).post(activate)
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.is_active


def test_menu_lists_the_page_for_managers_only(people):
    url = reverse("tracing:models")
    for role in ("supervisor", "coordinator"):
        assert url in [item["url"] for item in menu_for(people[role])]
    for role in ("caseworker", "administrator", "investigator"):
        assert url not in [item["url"] for item in menu_for(people[role])]


def test_retrain_button_and_command_store_versions(people, reviewed, as_user, capsys):
    response = as_user(people["supervisor"]).post(reverse("tracing:model_retrain"))
    assert response.status_code == 302
    assert MatchModel.objects.get().created_by == people["supervisor"]

    call_command("tracing_retrain")
    out = capsys.readouterr().out
    version = MatchModel.objects.order_by("-pk").first()
    assert f"version={version.pk}" in out and f"matches={PAIRS}" in out
    assert version.created_by is None and not version.is_active
    entry = AuditEntry.objects.filter(object_type="tracing.matchmodel").order_by("-seq").first()
    assert entry.actor_username == "tracing_retrain"
