"""Caseloads: each one's fields and steps, who may change it and how, what a screening proposes,
and the smuggling facts with what they give (and do not give) the investigators."""

from __future__ import annotations

import html
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext, override

from corridor.accounts.models import Role
from corridor.audit.models import AuditEntry
from corridor.cases import caseloads as cl
from corridor.cases import services
from corridor.cases.models import ChildStep, SmugglingFacts, Stage, StageChange
from corridor.intel.models import Entity
from corridor.intel.selectors import visible_entities
from corridor.people.services import person_create
from tests.permissions import check_matrix

pytestmark = pytest.mark.django_db

REASON = "Give the reason for the change of caseload."

ALL = [
    cl.PRESUMED_VICTIM,
    cl.IDENTIFIED_VICTIM,
    cl.SMUGGLED_MIGRANT,
    cl.STRANDED_MIGRANT,
    cl.CHILD_ON_THE_MOVE,
    cl.RETURNEE,
    cl.INTERNATIONAL_PROTECTION,
]


def open_case(people, caseload, *, child=False, **extra):
    worker = people["caseworker"]
    person = person_create(
        actor=worker,
        given_names="Essi",
        family_name="DEMO-MIGRANTE",
        gender="Feminine",
        **({"estimated_age": 14} if child else {"birth_date": date(1995, 3, 1)}),
        citizenships=["BJ"],
        unaccompanied=child,
    )
    return services.case_open(actor=worker, person=person, caseload=caseload, **extra)


def test_the_vocabulary_lists_every_caseload_of_the_issue():
    assert cl.caseload_codes() == ALL
    assert cl.victim_caseloads() == [cl.PRESUMED_VICTIM, cl.IDENTIFIED_VICTIM]


# Fields: each caseload takes only the content that fits it ------------------------------------

GROUPS = {
    cl.PRESUMED_VICTIM: {"victim"},
    cl.IDENTIFIED_VICTIM: {"victim"},
    cl.SMUGGLED_MIGRANT: {"smuggling"},
    cl.STRANDED_MIGRANT: set(),
    cl.CHILD_ON_THE_MOVE: set(),
    cl.RETURNEE: set(),
    cl.INTERNATIONAL_PROTECTION: set(),
}


@pytest.mark.parametrize("caseload", ALL)
def test_each_caseload_takes_only_its_fields(people, caseload):
    worker = people["caseworker"]
    case = open_case(people, caseload, child=caseload == cl.CHILD_ON_THE_MOVE)
    victim_ok = "victim" in GROUPS[caseload]
    smuggling_ok = "smuggling" in GROUPS[caseload]
    attempts = {
        "victim context": lambda: services.case_update_victim_context(
            actor=worker, case=case, exploitation_types=["ForcedLabour"]
        ),
        "trafficking event": lambda: services.event_add(
            actor=worker, case=case, event_type="Transit", city="Cotonou"
        ),
    }
    for attempt in attempts.values():
        if victim_ok:
            attempt()
        else:
            with pytest.raises(ValidationError), override("fr"):
                attempt()
    if smuggling_ok:
        services.smuggling_facts_record(actor=worker, case=case, route="Lomé → Cotonou")
    else:
        with pytest.raises(ValidationError):
            services.smuggling_facts_record(actor=worker, case=case, route="Lomé → Cotonou")
    case.refresh_from_db()
    if not victim_ok:
        assert case.exploitation_types == [] and not case.events.exists()
    assert SmugglingFacts.objects.filter(case=case).exists() == smuggling_ok


def test_a_stranded_migrant_cannot_be_opened_with_victim_fields(people):
    with pytest.raises(ValidationError) as error, override("fr"):
        open_case(people, cl.STRANDED_MIGRANT, exploitation_types=["ForcedLabour"])
    assert "exploitation_types" in str(error.value)


@pytest.mark.parametrize("caseload", ALL)
def test_the_case_page_shows_only_the_panels_of_its_caseload(people, as_user, caseload):
    case = open_case(people, caseload, child=caseload == cl.CHILD_ON_THE_MOVE)
    page = as_user(people["caseworker"]).get(reverse("cases:detail", args=[case.pk]))
    html = page.content.decode()
    assert ('id="victim"' in html) == ("victim" in GROUPS[caseload])
    assert ('id="event"' in html) == ("victim" in GROUPS[caseload])
    assert ('id="smuggling"' in html) == ("smuggling" in GROUPS[caseload])


# Steps: child caseloads follow the child-protection steps, adults the adult procedure ---------


@pytest.mark.parametrize("caseload", ALL)
def test_children_follow_the_child_steps_and_adults_the_stages(people, caseload):
    child = open_case(people, caseload, child=True)
    assert child.is_child and child.child_step == ChildStep.IDENTIFICATION
    assert services.allowed_moves(child) == {"child_step": (ChildStep.EMERGENCY,)}
    if caseload == cl.CHILD_ON_THE_MOVE:
        with pytest.raises(ValidationError):
            open_case(people, caseload)  # an adult is not a child on the move
        return
    adult = open_case(people, caseload)
    assert not adult.is_child and adult.child_step == ""
    assert services.allowed_moves(adult) == {"stage": (Stage.FIRST_ASSISTANCE, Stage.CLOSED)}


def test_no_return_for_a_person_referred_for_international_protection(people):
    worker = people["caseworker"]
    adult = open_case(people, cl.INTERNATIONAL_PROTECTION)
    adult = services.case_transition(actor=worker, case=adult, to=Stage.FIRST_ASSISTANCE)
    assert Stage.RETURN not in services.allowed_moves(adult)["stage"]
    assert Stage.RETURN not in dict(services.procedure_steps(adult))
    with pytest.raises(ValidationError):
        services.case_transition(actor=worker, case=adult, to=Stage.RETURN)
    stranded = open_case(people, cl.STRANDED_MIGRANT)
    stranded = services.case_transition(actor=worker, case=stranded, to=Stage.FIRST_ASSISTANCE)
    assert Stage.RETURN in services.allowed_moves(stranded)["stage"]


# Who may change it, and how -----------------------------------------------------------------


def test_only_a_supervisor_changes_the_caseload_with_a_reason(people):
    case = open_case(people, cl.STRANDED_MIGRANT)
    with pytest.raises(PermissionDenied):
        services.case_change_caseload(
            actor=people["caseworker"], case=case, caseload=cl.PRESUMED_VICTIM, reason="Signes."
        )
    with pytest.raises(PermissionDenied):
        services.case_change_caseload(
            actor=people["other_agency.supervisor"],
            case=case,
            caseload=cl.PRESUMED_VICTIM,
            reason="Signes.",
        )
    with pytest.raises(ValidationError) as error, override("fr"):
        services.case_change_caseload(
            actor=people["supervisor"], case=case, caseload=cl.PRESUMED_VICTIM, reason="  "
        )
    with override("fr"):
        assert error.value.message_dict == {"reason": [gettext(REASON)]}
    case.refresh_from_db()
    assert case.caseload == cl.STRANDED_MIGRANT
    assert not StageChange.objects.filter(case=case, field="caseload").exists()

    services.case_change_caseload(
        actor=people["supervisor"],
        case=case,
        caseload=cl.PRESUMED_VICTIM,
        reason="Indices de travail forcé à l'entretien.",
    )
    case.refresh_from_db()
    assert case.caseload == cl.PRESUMED_VICTIM
    change = StageChange.objects.get(case=case, field="caseload")
    assert (change.from_value, change.to_value) == (cl.STRANDED_MIGRANT, cl.PRESUMED_VICTIM)
    assert change.comment == "Indices de travail forcé à l'entretien."
    assert AuditEntry.objects.filter(
        object_type="cases.case", object_id=str(case.pk), detail__field="caseload"
    ).exists()
    # A coordinator decides too; an unknown caseload or the same one is refused.
    with pytest.raises(ValidationError):
        services.case_change_caseload(
            actor=people["coordinator"], case=case, caseload="tourist", reason="?"
        )
    with pytest.raises(ValidationError):
        services.case_change_caseload(
            actor=people["coordinator"], case=case, caseload=cl.PRESUMED_VICTIM, reason="?"
        )


def test_the_caseload_change_on_the_page_without_a_reason_is_refused(people, as_user):
    case = open_case(people, cl.STRANDED_MIGRANT)
    client = as_user(people["supervisor"])
    url = reverse("cases:action", args=[case.pk, "caseload"])
    response = client.post(
        url, {"caseload-caseload": cl.SMUGGLED_MIGRANT, "caseload-reason": ""}, follow=True
    )
    with override("fr"):
        assert escape(gettext(REASON)) in response.content.decode()
    case.refresh_from_db()
    assert case.caseload == cl.STRANDED_MIGRANT
    client.post(
        url, {"caseload-caseload": cl.SMUGGLED_MIGRANT, "caseload-reason": "A payé un passeur."}
    )
    case.refresh_from_db()
    assert case.caseload == cl.SMUGGLED_MIGRANT
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "A payé un passeur." in page  # the timeline says why


def test_page_matrix_of_the_caseload_change(people):
    case = open_case(people, cl.STRANDED_MIGRANT)
    url = reverse("cases:action", args=[case.pk, "caseload"])
    problems = check_matrix(
        url,
        people,
        {Role.CASEWORKER, Role.SUPERVISOR, Role.COORDINATOR},
        method="post",
        data={"caseload-caseload": cl.RETURNEE, "caseload-reason": ""},
        other_agency_allowed={Role.COORDINATOR},
    )
    assert problems == []


def test_opening_a_case_on_the_page_requires_a_caseload(people, as_user):
    client = as_user(people["caseworker"])
    data = {
        "given_names": "Kofi",
        "family_name": "DEMO",
        "gender": "Masculine",
        "estimated_age": "30",
        "identified_on": "2026-01-15",
    }
    response = client.post(reverse("cases:open"), data)
    assert response.status_code == 200 and "caseload" in response.context["form"].errors
    response = client.post(reverse("cases:open"), {**data, "caseload": cl.RETURNEE})
    assert response.status_code == 302


# What a screening proposes ------------------------------------------------------------------


class _Screening:
    def __init__(self, **values):
        self.proposed_status = values.get("proposed_status", "")
        self.refer_to_asylum = values.get("refer_to_asylum", False)
        self.unaccompanied = values.get("unaccompanied", False)
        self.child = values.get("child", False)
        self.person = None


@pytest.mark.parametrize(
    "values, proposed",
    [
        ({"proposed_status": cl.ACTUAL}, cl.IDENTIFIED_VICTIM),
        (
            {"proposed_status": cl.POSSIBLE, "unaccompanied": True, "child": True},
            cl.PRESUMED_VICTIM,
        ),
        (
            {"proposed_status": cl.NOT_A_VICTIM, "refer_to_asylum": True},
            cl.INTERNATIONAL_PROTECTION,
        ),
        ({"unaccompanied": True, "child": True}, cl.CHILD_ON_THE_MOVE),
        ({"unaccompanied": True}, cl.STRANDED_MIGRANT),
        ({}, cl.STRANDED_MIGRANT),
    ],
)
def test_a_screening_proposes_a_caseload(values, proposed):
    assert services.caseload_proposed(_Screening(**values)) == proposed


def test_approving_a_trafficking_status_moves_the_case_to_the_victim_caseload(people):
    case = open_case(people, cl.SMUGGLED_MIGRANT)
    approval = services.approval_request(
        actor=people["caseworker"], case=case, kind="trafficking_status"
    )
    services.approval_decide(
        actor=people["supervisor"],
        approval=approval,
        decision="approved",
        comment="Exploitée à l'arrivée.",
        trafficking_status=cl.ACTUAL,
        decision_org="Police",
    )
    case.refresh_from_db()
    assert case.caseload == cl.IDENTIFIED_VICTIM
    assert StageChange.objects.filter(case=case, field="caseload").count() == 1


# Smuggling facts ----------------------------------------------------------------------------


def test_smuggling_facts_feed_intelligence_without_giving_the_caseworker_access(people, as_user):
    worker = people["caseworker"]
    case = open_case(people, cl.SMUGGLED_MIGRANT)
    facts = services.smuggling_facts_record(
        actor=worker,
        case=case,
        intermediary="Passeur DEMO-TEST",
        intermediary_phone="+22890123456",
        amount_paid=150000,
        currency="xof",
        paid_to="Passeur DEMO-TEST",
        route="Lomé → Cotonou → Lagos",
        transport_means=["bus", "boat"],
        documents=["confiscated"],
        endangered_life=True,
        protection_given=["medical_care", "consular_information"],
    )
    assert facts.currency == "XOF" and facts.aggravating == ["endangered_life"]
    smuggler = Entity.objects.get(pk=facts.intel_entity_id)
    assert smuggler.kind == "person" and smuggler.roles == ["Smuggler"]
    assert smuggler.source and smuggler.grading == "F3"
    assert smuggler.report is not None
    phone = Entity.objects.get(kind="phone", key="+22890123456")
    assert smuggler.links_out.filter(target_entity=phone, kind="uses").exists()
    # Nothing in the intelligence identifies the migrant.
    for entity in Entity.objects.all():
        text = f"{entity.name} {entity.details} {entity.notes} {entity.source}"
        assert "DEMO-MIGRANTE" not in text and case.ref not in text
    # The caseworker sees no intelligence, and the migrant is no offender anywhere.
    assert not visible_entities(worker).exists()
    assert as_user(worker).get(reverse("intel:home")).status_code in (302, 403)
    page = as_user(worker).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Passeur DEMO-TEST" in page and "DEMO-MIGRANTE" in page
    # The investigator reads the facts in French: labels, not codes or a Python list.
    entity_page = as_user(people["investigator"]).get(
        reverse("intel:entity_detail", args=[smuggler.pk])
    )
    text = html.unescape(entity_page.content.decode())
    assert "Moyens de transport" in text and "Bus ou minibus, Bateau ou pirogue" in text
    assert "vie ou sécurité mise en danger" in text and "Montant payé" in text
    assert "150\u202f000\u00a0XOF" in text and "150000" not in text
    assert "['" not in text and "Transport means" not in text
    # Correcting the facts without renaming the smuggler does not duplicate the entity.
    services.smuggling_facts_record(actor=worker, case=case, inhuman_treatment=True)
    assert Entity.objects.filter(kind="person").count() == 1


def test_bad_smuggling_facts_change_nothing(people):
    case = open_case(people, cl.SMUGGLED_MIGRANT)
    with pytest.raises(ValidationError) as error:
        services.smuggling_facts_record(
            actor=people["caseworker"],
            case=case,
            intermediary="Passeur DEMO",
            transport_means=["teleport"],
            amount_paid=-5,
        )
    assert set(error.value.message_dict) == {"transport_means", "amount_paid"}
    assert not SmugglingFacts.objects.exists() and not Entity.objects.exists()
    with pytest.raises(PermissionDenied):
        services.smuggling_facts_record(
            actor=people["other_agency.caseworker"], case=case, route="x"
        )
