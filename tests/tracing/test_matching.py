"""A request matched to a child's case, end to end, and the judgement log behind it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from corridor.accounts.models import Role
from corridor.audit.models import AuditEntry
from corridor.cases.models import ChildStep, Task
from corridor.core.said import again
from corridor.intel.models import MatchJudgement
from corridor.intel.selectors import judgement_clusters
from corridor.tracing import selectors, services
from corridor.tracing.models import RequestStatus
from corridor.tracing.selectors import current_decisions_about, judgements_about, ranked_candidates
from tests.factories import make_user
from tests.tracing.conftest import make_child

pytestmark = pytest.mark.django_db


def test_the_right_child_ranks_first_with_an_explanation(caseworker, child, tracing_request):
    make_child(caseworker, given="Ama", family="Mensah", birth_year=2010)  # a sister
    make_child(caseworker, given="Kossi", family="Agbeko", gender="Masculine")
    candidates = ranked_candidates(caseworker, tracing_request)
    person, _case = child
    assert candidates[0]["person"] == person
    assert candidates[0]["probability"] > 0.5
    assert all(c["probability"] < candidates[0]["probability"] for c in candidates[1:])
    levels = {r["level"] for r in candidates[0]["reasons"]}
    assert "variant" in levels  # Akuvi / Akouvi
    given = next(r for r in candidates[0]["reasons"] if r["level"] == "variant")
    assert given["direction"] == "for"
    assert given["sentence"]


def test_confirmed_match_links_and_starts_family_assessment(caseworker, child, tracing_request):
    person, case = child
    services.tracing_decide(
        actor=caseworker, request=tracing_request, person=person, decision="positive"
    )
    tracing_request.refresh_from_db()
    case.refresh_from_db()
    assert tracing_request.status == RequestStatus.MATCHED
    assert tracing_request.matched_case == case
    assert case.child_step == ChildStep.TRACING
    kinds = dict(person.relationships.values_list("kind", "relative_name"))
    assert kinds == {"mother": "Afi Mensah", "father": "Kodjo Mensah"}
    mother = person.relationships.get(kind="mother")
    assert mother.contact == "+228 90 11 22 33"  # the requester is the mother
    assert case.notes.count() == 1
    assert Task.objects.filter(case=case).count() == 0


def test_match_without_consent_creates_a_task_instead(caseworker, tracing_request):
    person, case = make_child(
        caseworker, given="Akouvi", family="Mensah", mother="Afi", step=ChildStep.STUDY
    )
    services.tracing_decide(
        actor=caseworker, request=tracing_request, person=person, decision="positive"
    )
    case.refresh_from_db()
    assert case.child_step == ChildStep.STUDY
    task = Task.objects.get(case=case)
    assert "no consent" in task.title  # written in English, by an English-speaking worker
    with translation.override("fr"):  # and read in French, the reason too
        assert "pas encore de consentement" in again(task.title)
        assert again(task.title).startswith("Évaluation familiale")
    assert list(person.relationships.values_list("kind", flat=True).order_by("kind")) == [
        "father",
        "mother",
    ]
    assert person.relationships.get(kind="mother").relative_name == "Afi"  # existing kept


def test_decisions_supersede_and_never_overwrite(caseworker, child, tracing_request):
    person, _case = child
    for decision in ("unsure", "positive", "negative"):
        services.tracing_decide(
            actor=caseworker, request=tracing_request, person=person, decision=decision
        )
    history = list(judgements_about(tracing_request))
    assert [j.decision for j in history] == ["negative", "positive", "unsure"]
    current = current_decisions_about(tracing_request)
    assert current[("people.person", str(person.pk))].decision == "negative"
    tracing_request.refresh_from_db()
    assert tracing_request.status == RequestStatus.OPEN
    assert tracing_request.matched_case is None
    first = history[-1]
    first.comment = "changed"
    with pytest.raises(ValidationError):
        first.save()
    with pytest.raises(ValidationError):
        first.delete()
    assert MatchJudgement.objects.count() == 3


def test_clusters_are_connected_components_of_positive_judgements(caseworker, tracing_request):
    from corridor.intel.services import judgement_record

    a, _ = make_child(caseworker, given="Akouvi", family="Mensah")
    b, _ = make_child(caseworker, given="Akuvi", family="Mensah")
    c, _ = make_child(caseworker, given="Ama", family="Mensah")
    judgement_record(actor=caseworker, left=tracing_request, right=a, decision="positive")
    judgement_record(actor=caseworker, left=a, right=b, decision="positive")
    judgement_record(actor=caseworker, left=b, right=c, decision="positive")
    judgement_record(actor=caseworker, left=b, right=c, decision="negative")
    clusters = judgement_clusters(MatchJudgement.objects.all())
    assert clusters == [
        {
            ("tracing.tracingrequest", str(tracing_request.pk)),
            ("people.person", str(a.pk)),
            ("people.person", str(b.pk)),
        }
    ]


def test_second_child_cannot_be_matched_while_one_is(caseworker, child, tracing_request):
    person, _case = child
    other, _ = make_child(caseworker, given="Akouvi", family="Mensa")
    services.tracing_decide(
        actor=caseworker, request=tracing_request, person=person, decision="positive"
    )
    before = MatchJudgement.objects.count()
    with pytest.raises(ValidationError):
        services.tracing_decide(
            actor=caseworker, request=tracing_request, person=other, decision="positive"
        )
    assert MatchJudgement.objects.count() == before


def test_a_child_out_of_scope_cannot_be_judged(people, child, tracing_request):
    person, _case = child
    with pytest.raises(PermissionDenied):
        services.tracing_decide(
            actor=people["other_agency.supervisor"],
            request=tracing_request,
            person=person,
            decision="positive",
        )


def test_detail_page_audits_the_read_and_htmx_decision(as_user, caseworker, child, tracing_request):
    person, _case = child
    client = as_user(caseworker)
    url = reverse("tracing:detail", args=[tracing_request.pk])
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert person.display_name in body
    # The requester's name, relationship and kind each on its own line, not "(Mère, Un …)".
    assert "<dd>Maman Afi</dd>" in body and "<dd>Mère</dd>" in body
    assert "<dd>Un membre de la famille</dd>" in body
    # The child's record names no mother: that line weighs nothing and is shown as such (·).
    reasons = response.context["candidates"][0]["reasons"]
    missing = next(r for r in reasons if r["level"] == "missing")
    assert missing["weight"] == 0 and missing["direction"] == "none"
    assert f'<li class="muted">· {escape(missing["sentence"])}</li>' in body
    read = AuditEntry.objects.filter(action="read", object_type="tracing.tracingrequest").get()
    assert read.detail["candidates"][0] == person.pk
    response = client.post(
        reverse("tracing:decide", args=[tracing_request.pk]),
        {"person": person.pk, "decision": "unsure", "comment": "à vérifier"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert f'id="decision-{person.pk}"' in response.content.decode()
    # The decision history comes back with it, out of band, holding the new entry.
    assert 'id="decision-history" hx-swap-oob="true"' in response.content.decode()
    assert "à vérifier" in response.content.decode()
    response = client.post(
        reverse("tracing:decide", args=[tracing_request.pk]),
        {"person": person.pk, "decision": "positive"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == url
    tracing_request.refresh_from_db()
    assert tracing_request.status == RequestStatus.MATCHED
    history = client.get(url).context["history"]
    assert [(h["child"], h["judgement"].decision) for h in history] == [
        (person.display_name, "positive"),
        (person.display_name, "unsure"),
    ]


def test_a_candidate_at_another_agency_is_shown_without_a_name(
    people, caseworker, tracing_request, as_user
):
    """Issue 17, item 13: the ranking also considers the node's children the caseworker cannot
    see; such a candidate shows the agency and whom to ask there, never the child's name."""
    other_worker = people["other_agency.caseworker"]
    make_child(other_worker, given="Akouvi", family="Mensah", mother="Afi")
    rows = selectors.candidates_elsewhere(caseworker, tracing_request)
    assert rows and rows[0]["agency"] == other_worker.agency.name
    supervisor = people["other_agency.supervisor"]
    assert rows[0]["contact"] == (supervisor.get_full_name() or supervisor.username)
    assert set(rows[0]) == {"percent", "agency", "own_agency", "contact"}
    assert rows[0]["own_agency"] is False
    # A colleague's case in the caseworker's own agency: said so, and still without a name.
    colleague = make_user(Role.CASEWORKER, agency=caseworker.agency, username="colleague")
    make_child(colleague, given="Akouvi", family="Mensah", mother="Afi")
    rows = selectors.candidates_elsewhere(caseworker, tracing_request)
    assert sorted(r["own_agency"] for r in rows) == [False, True]
    page = as_user(caseworker).get(reverse("tracing:detail", args=[tracing_request.pk]))
    text = page.content.decode()
    assert "Candidats dans des dossiers que vous ne voyez pas" in text
    assert "(votre structure)" in text and "Mensah" not in text.split('id="elsewhere"')[1][:2000]
    # Whoever sees the child's case ranks it among their own candidates, not "elsewhere".
    coordinator = people["coordinator"]
    assert selectors.candidates_elsewhere(coordinator, tracing_request) == []
