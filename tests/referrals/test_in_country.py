import html

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from corridor.accounts.models import Role
from corridor.cases import services as case_services
from corridor.referrals import services
from corridor.referrals.forms import ReferralForm
from corridor.referrals.models import Referral
from tests.factories import guardian_consent, make_agency, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelter(db):
    agency = make_agency(name="Refuge test (TG)")
    return make_user("caseworker", agency=agency, username="shelter.worker")


def test_referral_refused_without_consent(people, child_case, shelter):
    with pytest.raises(ValidationError, match="consent"):
        services.referral_create(
            actor=people["caseworker"],
            case=child_case,
            to_agency=shelter.agency,
            reason="AdditionalServicesRequired",
            service_type="Shelter",
        )
    assert not Referral.objects.exists()


def test_an_agency_where_nobody_can_take_the_case_is_refused_and_not_offered(
    people, child_case, shelter
):
    guardian_consent(child_case, people["caseworker"], "referral")
    prosecutor = make_user(Role.PROSECUTOR, agency=make_agency(name="Parquet test (TG)"))
    with pytest.raises(ValidationError, match="caseworker"):
        services.referral_create(
            actor=people["caseworker"],
            case=child_case,
            to_agency=prosecutor.agency,
            reason="AdditionalServicesRequired",
        )
    assert not Referral.objects.exists()
    offered = ReferralForm(case=child_case).fields["to_agency"].queryset
    assert shelter.agency in offered and prosecutor.agency not in offered
    assert child_case.agency not in offered


def test_shelter_accepts_and_sees_only_the_referred_part(people, child_case, shelter, client):
    worker = people["caseworker"]
    case_services.case_update_victim_context(
        actor=worker, case=child_case, narrative="SECRET NARRATIVE"
    )
    guardian_consent(child_case, worker, "referral")
    referral = services.referral_create(
        actor=worker,
        case=child_case,
        to_agency=shelter.agency,
        reason="AdditionalServicesRequired",
        service_type="Shelter",
        details="Hébergement",
    )
    client.force_login(shelter, backend="allauth.account.auth_backends.AuthenticationBackend")
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "AKUÉ" in page and "SECRET NARRATIVE" not in page
    assert client.get(reverse("cases:detail", args=[child_case.pk])).status_code == 404
    client.post(reverse("referrals:detail", args=[referral.pk]), {"decision": "accept"})
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED


def test_decline_needs_a_reason_and_only_the_receiver_decides(people, child_case, shelter):
    worker = people["caseworker"]
    guardian_consent(child_case, worker, "referral")
    referral = services.referral_create(
        actor=worker, case=child_case, to_agency=shelter.agency, reason="Other"
    )
    with pytest.raises(PermissionDenied):
        services.referral_decide(actor=worker, referral=referral, accept=True)
    with pytest.raises(ValidationError):
        services.referral_decide(actor=shelter, referral=referral, accept=False, reason="")
    services.referral_decide(actor=shelter, referral=referral, accept=False, reason="Complet")
    with pytest.raises(ValidationError):
        services.referral_decide(actor=shelter, referral=referral, accept=True)


def test_withdrawn_consent_withdraws_open_referrals(people, child_case, shelter):
    worker = people["caseworker"]
    consent = guardian_consent(child_case, worker, "referral")
    referral = services.referral_create(
        actor=worker, case=child_case, to_agency=shelter.agency, reason="Other"
    )
    case_services.consent_withdraw(actor=worker, consent=consent)
    referral.refresh_from_db()
    assert referral.status == Referral.Status.WITHDRAWN
    with pytest.raises(ValidationError):
        services.referral_create(
            actor=worker, case=child_case, to_agency=shelter.agency, reason="Other"
        )


def test_referral_pages_matrix(people, child_case):
    from tests.permissions import check_matrix

    allowed = {Role.CASEWORKER, Role.SUPERVISOR, Role.COORDINATOR}
    assert check_matrix(reverse("referrals:list"), people, allowed) == []
    assert check_matrix(reverse("referrals:directory"), people, allowed) == []
    assert (
        check_matrix(
            reverse("referrals:create", args=[child_case.pk]),
            people,
            allowed,
            other_agency_allowed={Role.COORDINATOR},
        )
        == []
    )


def test_directory_names_the_services_in_french(people, as_user):
    """The directory lists each provider's services by their label, never the HTCDS code
    ("Shelter" on a French page)."""
    from corridor.referrals.seed import seed_providers

    seed_providers()
    page = as_user(people["caseworker"]).get(
        reverse("referrals:directory"), HTTP_ACCEPT_LANGUAGE="fr"
    )
    text = html.unescape(page.content.decode())
    services = '<td data-label="Services">'
    assert f"{services}Hébergement, Soutien psychosocial, Santé, Soutien à l'éducation</td>" in text
    assert f"{services}Shelter" not in text and f"{services}Health" not in text
