"""The supervisor's approval page (issue 17, item 4): who may see and decide it, the warnings on
missing prerequisites, and no decision without an explicit choice."""

import pytest
from django.urls import reverse

from corridor.accounts.models import Role
from corridor.cases import services
from corridor.cases.models import Approval

pytestmark = pytest.mark.django_db
CASE_WORK = {Role.CASEWORKER, Role.SUPERVISOR, Role.COORDINATOR}


def test_approval_page_matrix(people, child_case):
    from tests.permissions import check_matrix

    approval = services.approval_request(actor=people["caseworker"], case=child_case, kind="bia")
    url = reverse("cases:approval", args=[approval.pk])
    assert check_matrix(url, people, CASE_WORK, other_agency_allowed={Role.COORDINATOR}) == []


def test_prerequisites_warn_without_refusing(people, child_case):
    worker = people["caseworker"]
    assert services.approval_prerequisites(child_case, "bid")
    services.task_create(
        actor=worker, case=child_case, title="Visite", due_on=child_case.identified_on
    )
    assert services.approval_prerequisites(child_case, "closure")
    assert services.approval_prerequisites(child_case, "case_plan")
    bia = services.approval_request(actor=worker, case=child_case, kind="bia")
    services.approval_decide(actor=people["supervisor"], approval=bia, decision="approved")
    # The assessment is approved; what is left is that no panel record stands behind a request.
    [left] = services.approval_prerequisites(child_case, "bid")
    assert "panel" in left
    # A warning is not a refusal: the request is recorded.
    assert services.approval_request(actor=worker, case=child_case, kind="case_plan").pk


def test_no_decision_without_a_choice_and_never_by_the_requester(people, child_case, as_user):
    approval = services.approval_request(
        actor=people["caseworker"], case=child_case, kind="bid", comment="Famille retrouvée."
    )
    url = reverse("cases:approval", args=[approval.pk])
    page = as_user(people["supervisor"]).get(url).content.decode()
    assert "Famille retrouvée." in page and 'name="decision"' in page and "checked" not in page
    response = as_user(people["supervisor"]).post(url, {"comment": "ok"})
    assert response.status_code == 200
    assert Approval.objects.get(pk=approval.pk).decision == "pending"
    assert as_user(people["caseworker"]).post(url, {"decision": "approved"}).status_code == 403
    response = as_user(people["supervisor"]).post(url, {"decision": "approved"})
    assert response.status_code == 302
    assert Approval.objects.get(pk=approval.pk).decision == "approved"
