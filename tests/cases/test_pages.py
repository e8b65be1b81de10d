import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from corridor.accounts.models import Role
from corridor.audit.models import AuditEntry
from corridor.cases import services
from corridor.cases.models import Case
from corridor.people.models import Person
from corridor.people.services import person_create

pytestmark = pytest.mark.django_db
CASE_WORK = {Role.CASEWORKER, Role.SUPERVISOR, Role.COORDINATOR}


def test_case_list_matrix(people):
    from tests.permissions import check_matrix

    assert check_matrix(reverse("cases:list"), people, CASE_WORK) == []
    assert check_matrix(reverse("cases:open"), people, CASE_WORK) == []


def test_case_page_matrix(people, child_case):
    from tests.permissions import check_matrix

    url = reverse("cases:detail", args=[child_case.pk])
    # Another agency's caseworker and supervisor do not see it; a coordinator sees the nation.
    assert check_matrix(url, people, CASE_WORK, other_agency_allowed={Role.COORDINATOR}) == []


def test_person_pages_matrix(people, child_case):
    from tests.permissions import check_matrix

    person_roles = CASE_WORK | {Role.BORDER_OFFICER}
    assert check_matrix(reverse("people:list"), people, person_roles) == []
    url = reverse("people:detail", args=[child_case.person.pk])
    # A border officer sees the people their own agency registered (here, the same agency).
    assert check_matrix(url, people, person_roles, other_agency_allowed={Role.COORDINATOR}) == []


def test_case_page_read_is_audited(people, child_case, as_user):
    as_user(people["supervisor"]).get(reverse("cases:detail", args=[child_case.pk]))
    assert AuditEntry.objects.filter(
        action="read",
        object_type="cases.case",
        object_id=str(child_case.pk),
        actor=people["supervisor"],
    ).exists()


def test_a_route_with_no_event_says_so_outside_the_drawn_route(people, as_user, child_case):
    page = as_user(people["caseworker"]).get(reverse("cases:detail", args=[child_case.pk]))
    body = page.content.decode()
    assert "Aucun événement enregistré." in body
    assert '<ol class="route">' not in body  # no dot on the route for an empty list


def test_open_a_case_through_the_page(people, as_user):
    client = as_user(people["caseworker"])
    response = client.post(
        reverse("cases:open"),
        {
            "given_names": "Afi",
            "family_name": "DOSSOU",
            "gender": "Feminine",
            "estimated_age": "11",
            "citizenships": "TG",
            "identified_on": "2026-01-15",
            "caseload": "child_on_the_move",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.is_child and case.person.citizenships == ["TG"]


@pytest.mark.parametrize(
    "bad",
    [
        {"identified_on": "2026-02-30"},
        {"identified_on": "2099-01-01"},
        {"birth_date": "2099-01-01"},
        {"citizenships": "XX"},
        {"gender": "Alien"},
        {"given_names": "", "family_name": ""},
        {"phone": "12"},
    ],
)
def test_bad_input_changes_nothing(people, as_user, bad):
    client = as_user(people["caseworker"])
    data = {
        "given_names": "Afi",
        "family_name": "DOSSOU",
        "gender": "Feminine",
        "identified_on": "2026-01-15",
        **bad,
    }
    before = (Person.objects.count(), Case.objects.count(), AuditEntry.objects.count())
    response = client.post(reverse("cases:open"), data, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert (Person.objects.count(), Case.objects.count(), AuditEntry.objects.count()) == before


def test_hostile_names_are_stored_as_typed_and_rendered_inert(people, as_user):
    worker = people["caseworker"]
    name = "<script>alert('x')</script>'; DROP TABLE cases_case;--"
    person = person_create(actor=worker, given_names=name, family_name='O"Brien')
    case = services.case_open(actor=worker, person=person)
    body = as_user(worker).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "<script>alert" not in body and "&lt;script&gt;alert" in body
    assert Person.objects.get(pk=person.pk).given_names == name
    assert Case.objects.count() == 1


def test_case_list_query_count_does_not_grow_with_rows(
    people, as_user, django_assert_max_num_queries
):
    worker = people["caseworker"]
    client = as_user(people["coordinator"])

    def count_queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("cases:list")).status_code == 200
        return len(ctx)

    for i in range(3):
        services.case_open(
            actor=worker, person=person_create(actor=worker, given_names=f"Kossi {i}")
        )
    few = count_queries()
    for i in range(20):
        services.case_open(actor=worker, person=person_create(actor=worker, given_names=f"Ama {i}"))
    assert count_queries() == few


def test_action_with_a_failed_precondition_says_what_is_missing(people, as_user, child_case):
    Case.objects.filter(pk=child_case.pk).update(child_step="situation_study")
    client = as_user(people["caseworker"])
    client.cookies["corridor_language"] = "en"
    url = reverse("cases:action", args=[child_case.pk, "transition"])
    response = client.post(url, {"transition-to": "family_tracing"}, follow=True)
    assert "Nothing was saved" in response.content.decode()
    assert "consent (or a legal ground) for family tracing" in response.content.decode()
    child_case.refresh_from_db()
    assert child_case.child_step == "situation_study"


def test_actions_through_the_page(people, as_user, child_case):
    client = as_user(people["caseworker"])
    url = lambda action: reverse("cases:action", args=[child_case.pk, action])  # noqa: E731
    client.post(url("note"), {"note-text": "Première rencontre."})
    client.post(
        url("transition"),
        {"transition-to": "emergency_protection", "transition-comment": "Menacée <b>ce soir</b>."},
    )
    client.post(url("approval_request"), {"approval_request-kind": "bia"})
    child_case.refresh_from_db()
    assert child_case.notes.get().text == "Première rencontre."
    assert child_case.child_step == "emergency_protection"
    timeline = client.get(reverse("cases:detail", args=[child_case.pk])).content.decode()
    timeline = timeline.split('id="timeline"')[1].split("</section>")[0]
    # the move says who made it and why, escaped as typed
    assert "Menacée &lt;b&gt;ce soir&lt;/b&gt;." in timeline
    assert str(people["caseworker"]) in timeline
    first = r'<li class="t-identified"><time [^>]*>[^<]*</time> ([^<]*)</li>'
    assert re.search(first, timeline).group(1) == "Identification à Libreville"
    Case.objects.filter(pk=child_case.pk).update(identified_at_place="")
    page = client.get(reverse("cases:detail", args=[child_case.pk])).content.decode()
    assert re.search(first, page).group(1) == "Identification"  # not "Identification à —"
    approval = child_case.approvals.get()
    supervisor = as_user(people["supervisor"])
    supervisor.post(
        url("approval_decide"),
        {"approval_decide-approval": approval.pk, "approval_decide-decision": "approved"},
    )
    approval.refresh_from_db()
    assert approval.decision == "approved" and approval.approver == people["supervisor"]


def test_unknown_action_is_forbidden(people, as_user, child_case):
    response = as_user(people["caseworker"]).post(
        reverse("cases:action", args=[child_case.pk, "teleport"]), {}
    )
    assert response.status_code == 403


def test_what_the_node_wrote_reads_in_the_readers_language(people, child_case, as_user):
    """A follow-up task and a justification written while a French-speaking caseworker acted
    read in English for a reader who chose English, and the other way round."""
    from django.utils import translation

    from corridor.cases.models import Approval, Task
    from corridor.childcare.models import Option
    from corridor.core import said

    with translation.override("fr"):
        Task.objects.create(
            case=child_case,
            kind=Task.Kind.FOLLOW_UP,
            title=said.say(said.FOLLOW_UP_VISIT, m=6),
            due_on=child_case.identified_on,
        )
        services.approval_request(
            actor=people["caseworker"],
            case=child_case,
            kind=Approval.Kind.BID,
            comment=said.say(said.BID_REQUESTED, d=Option.RETURN.label),
        )
    client = as_user(people["caseworker"])
    url = reverse("cases:detail", args=[child_case.pk])
    client.cookies["corridor_language"] = "en"
    english = html.unescape(client.get(url).content.decode())
    assert "Follow-up visit at 6 months" in english and "Visite de suivi" not in english
    assert "Best-interest determination: Return and reunification with the family" in english
    client.cookies["corridor_language"] = "fr"
    french = html.unescape(client.get(url).content.decode())
    assert "Visite de suivi à 6 mois" in french
    assert "Détermination de l'intérêt supérieur\u00a0: Retour et réunification familiale" in french


def test_a_placement_on_the_timeline_names_its_provider(people, as_user, child_case):
    from corridor.childcare import services as childcare
    from corridor.referrals.models import ServiceProvider

    shelter = ServiceProvider.objects.create(
        name="Centre d'accueil DEMO", country="TG", services=["Shelter"]
    )
    childcare.placement_start(
        actor=people["caseworker"],
        case=child_case,
        kind="shelter",
        provider=shelter,
        start_on=child_case.identified_on,
    )
    page = as_user(people["caseworker"]).get(reverse("cases:detail", args=[child_case.pk]))
    timeline = page.content.decode().split('id="timeline"')[1].split("</section>")[0]
    assert "Centre d&#x27;accueil DEMO" in timeline and "object (" not in timeline


def test_the_national_picture_counts_stages_in_the_order_a_case_moves(
    people, child_case, adult_case, as_user
):
    from django.utils import translation

    from corridor.cases.models import Stage

    Case.objects.filter(pk=adult_case.pk).update(stage=Stage.CLOSED)
    Case.objects.filter(pk=child_case.pk).update(stage=Stage.IDENTIFICATION)
    page = as_user(people["coordinator"]).get("/").content.decode()
    panel = page[page.index("<h3>") :]
    shown = [html.unescape(label) for label in re.findall(r'"bar-label">([^<]+)<', panel)]
    with translation.override("fr"):
        assert shown == [str(Stage.IDENTIFICATION.label), str(Stage.CLOSED.label)]
    assert '<meter min="0" max="1" value="1">' in panel  # each bar to the scale of the largest


def test_a_timeline_line_without_a_provider_or_a_place_ends_with_its_words(
    people, as_user, child_case
):
    from corridor.cases.models import ServiceDelivery, TraffickingEvent

    ServiceDelivery.objects.create(
        case=child_case,
        service_type="Education",
        delivered_on=child_case.identified_on,
        recorded_by=people["caseworker"],
    )
    TraffickingEvent.objects.create(
        case=child_case, event_type="Transit", date=child_case.identified_on
    )
    page = as_user(people["caseworker"]).get(reverse("cases:detail", args=[child_case.pk]))
    timeline = page.content.decode().split('id="timeline"')[1].split("</section>")[0]
    lines = [
        re.sub(r"<[^>]+>", "", li).strip() for li in re.findall(r"<li[^>]*>(.*?)</li>", timeline)
    ]
    assert len(lines) >= 2
    assert not [line for line in lines if line.endswith("·")], lines


def test_the_forms_that_record_what_happens_today_start_at_today(people, as_user, child_case):
    from django.utils import timezone

    page = as_user(people["caseworker"]).get(reverse("cases:detail", args=[child_case.pk]))
    today = timezone.localdate().isoformat()
    for field in ("consent-given_on", "service-delivered_on"):
        assert f'name="{field}" value="{today}"' in page.content.decode(), field


@pytest.mark.parametrize("day", ["0026-12-07", "0001-01-01", "2101-01-01"])
def test_a_year_typed_short_is_refused_and_changes_nothing(people, as_user, child_case, day):
    """A date input lets a year be typed as "0026"; a service that old would become the case's
    first assistance."""
    from corridor.cases.models import ServiceDelivery, Task

    client = as_user(people["caseworker"])
    page = client.get(reverse("cases:detail", args=[child_case.pk])).content.decode()
    assert 'name="service-delivered_on"' in page and 'min="1900-01-01" max="2100-12-31"' in page
    url = lambda action: reverse("cases:action", args=[child_case.pk, action])  # noqa: E731
    response = client.post(
        url("service"), {"service-service_type": "Education", "service-delivered_on": day}
    )
    client.post(url("task"), {"task-title": "Appeler la famille", "task-due_on": day})
    assert not ServiceDelivery.objects.exists() and not Task.objects.exists()
    child_case.refresh_from_db()
    assert child_case.first_assistance_on is None
    shown = html.unescape(client.get(response["Location"]).content.decode())
    assert "entre 1900 et 2100" in shown
