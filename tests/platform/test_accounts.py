import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from corridor.accounts import services
from corridor.accounts.models import Role, User
from corridor.audit.models import AuditEntry
from tests.factories import make_agency, make_user
from tests.permissions import check_matrix

pytestmark = pytest.mark.django_db


def test_weak_password_is_refused_and_nothing_is_written():
    agency = make_agency()
    before = (User.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError):
        services.user_create(
            actor=None, username="weak", password="1234", agency=agency, role="caseworker"
        )
    assert (User.objects.count(), AuditEntry.objects.count()) == before


def test_only_an_administrator_manages_users():
    caseworker = make_user("caseworker")
    with pytest.raises(PermissionDenied):
        services.user_create(
            actor=caseworker,
            username="x",
            password="A-long-password-1",
            agency=caseworker.agency,
            role="caseworker",
        )


def test_scope_defaults_follow_the_role():
    assert make_user("caseworker").scope == "own"
    assert make_user("supervisor").scope == "agency"
    assert make_user("coordinator").scope == "national"


@pytest.mark.parametrize(
    "name,allowed",
    [
        ("home", set(Role.values)),
        ("accounts:user_list", {Role.ADMINISTRATOR}),
        ("accounts:user_create", {Role.ADMINISTRATOR}),
        ("accounts:agency_list", {Role.ADMINISTRATOR}),
        ("audit:list", {Role.ADMINISTRATOR, Role.COORDINATOR}),
    ],
)
def test_permission_matrix(people, name, allowed):
    assert check_matrix(reverse(name), people, allowed) == []


def test_admin_cannot_open_a_foreign_account(people, as_user):
    foreign = people["other_country.caseworker"]
    client = as_user(people["administrator"])
    assert client.get(reverse("accounts:user_edit", args=[foreign.pk])).status_code == 404


def test_admin_creates_an_account_through_the_page(people, as_user, home_agency):
    client = as_user(people["administrator"])
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "new.caseworker",
            "password": "Kpalime-Lome-2026",
            "agency": home_agency.pk,
            "role": "caseworker",
            "scope": "own",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="new.caseworker")
    assert user.must_change_password  # the password the administrator chose is for one sign-in
    assert not make_user("caseworker", username="seeded.worker").must_change_password
    assert AuditEntry.objects.filter(
        object_type="accounts.user", object_id=str(user.pk), action="create"
    ).exists()


def test_bad_account_form_shows_errors_and_creates_nothing(people, as_user, home_agency):
    client = as_user(people["administrator"])
    before = User.objects.count()
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "bad user!",
            "password": "short",
            "agency": home_agency.pk,
            "role": "caseworker",
        },
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 200
    assert User.objects.count() == before
    assert "errorlist" in response.content.decode()


def test_user_without_role_sees_nothing(client):
    agency = make_agency()
    user = User.objects.create(username="norole", agency=agency)
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    assert client.get("/").status_code == 403


def test_the_home_page_says_a_scope_only_to_those_who_read_records(people, as_user):
    """A partner reads published statistics only: 'périmètre : ses propres dossiers' would
    suggest records it never sees."""
    partner = as_user(people["partner"]).get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "périmètre" not in partner
    worker = as_user(people["caseworker"]).get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "périmètre" in worker
