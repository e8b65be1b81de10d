"""Filing a tracing request: what is refused, with which message, and that nothing is written."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from corridor.audit.models import AuditEntry
from corridor.tracing import services
from corridor.tracing.models import TracingRequest
from tests.tracing.conftest import REQUEST

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {k: ("on" if v is True else v) for k, v in REQUEST.items()}
    data["report_date"] = REQUEST["report_date"].isoformat()
    data["requester_kind"] = "family"
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_create_records_consent_ref_and_audit(caseworker):
    request = services.tracing_request_create(actor=caseworker, **REQUEST)
    assert request.ref == f"TR-TG-2025-{request.pk:06d}"
    assert request.consent_on is not None
    assert request.contact == "+228 90 11 22 33"
    assert (
        AuditEntry.objects.filter(object_type="tracing.tracingrequest", action="create").count()
        == 1
    )


def test_contact_is_encrypted_at_rest(caseworker):
    from django.db import connection

    request = services.tracing_request_create(actor=caseworker, **REQUEST)
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact FROM tracing_tracingrequest WHERE id = %s", [request.pk])
        stored = cursor.fetchone()[0]
    assert "90 11 22 33" not in stored


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"given_names": "  ", "family_name": ""}, "given_names"),
        ({"consent_given": False}, "consent_given"),
        ({"birth_year": 1890}, "birth_year"),
        ({"birth_year": 2031}, "birth_year"),
        ({"age_years": 90}, "age_years"),
        ({"requester_name": ""}, "requester_name"),
        ({"nationality": "XX"}, "nationality"),
    ],
)
def test_service_refuses_bad_input_and_writes_nothing(caseworker, overrides, field):
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as info:
        services.tracing_request_create(actor=caseworker, **{**REQUEST, **overrides})
    assert field in info.value.message_dict
    assert TracingRequest.objects.count() == 0
    assert AuditEntry.objects.count() == before


def test_birth_date_after_report_is_refused(caseworker):
    from datetime import date

    with pytest.raises(ValidationError) as info:
        services.tracing_request_create(
            actor=caseworker, **{**REQUEST, "birth_year": None, "birth_date": date(2025, 6, 1)}
        )
    assert "birth_date" in info.value.message_dict


def test_form_shows_clear_errors_and_writes_nothing(as_user, caseworker):
    client = as_user(caseworker)
    url = reverse("tracing:create")
    response = client.post(url, form_data(given_names="", family_name=""))
    assert response.status_code == 200
    errors = response.context["form"].errors["given_names"]
    assert errors and escape(errors[0]) in response.content.decode()
    response = client.post(url, form_data(birth_date="2014-02-30", birth_year=None))
    assert response.status_code == 200
    assert response.context["form"].errors["birth_date"]
    response = client.post(url, form_data(birth_date="2099-01-01", birth_year=None))
    assert response.status_code == 200
    assert "birth_date" in response.context["form"].errors
    response = client.post(url, form_data(last_seen_on="2099-01-01"))
    assert "last_seen_on" in response.context["form"].errors
    assert TracingRequest.objects.count() == 0


def test_form_files_a_request(as_user, caseworker):
    client = as_user(caseworker)
    response = client.post(reverse("tracing:create"), form_data())
    request = TracingRequest.objects.get()
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("tracing:detail", args=[request.pk])
    assert request.filed_by == caseworker


def test_list_page_queries_do_not_grow_with_requests(
    as_user, caseworker, django_assert_max_num_queries
):
    client = as_user(caseworker)
    services.tracing_request_create(actor=caseworker, **REQUEST)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("tracing:list"))
    for _ in range(10):
        services.tracing_request_create(actor=caseworker, **REQUEST)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("tracing:list"))
    assert len(response.context["page"]) == 11
