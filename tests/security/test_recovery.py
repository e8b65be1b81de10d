"""Helping someone who cannot sign in. The node sends no e-mail: the sign-in page invites no
sign-up and the forgotten-password page says who helps (it sent mail, and failed with a 500,
before); an administrator of the node unlocks an account, sets a new password or resets the
second factor of a lost phone, each audited, never for their own account nor for one they
cannot see."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from corridor.accounts.models import Role
from corridor.audit.models import AuditEntry
from corridor.audit.services import node_text
from tests.factories import PASSWORD, make_user
from tests.permissions import check_matrix

pytestmark = pytest.mark.django_db


def _recover(client, user, action, data=None):
    return client.post(reverse("accounts:user_recover", args=[user.pk, action]), data or {})


def _audited(user, summary) -> int:
    return AuditEntry.objects.filter(
        object_type="accounts.user", object_id=str(user.pk), summary=node_text(summary)
    ).count()


def test_sign_in_invites_no_sign_up_and_a_forgotten_password_says_who_helps():
    page = Client().get("/accounts/login/").content.decode()
    assert "/accounts/signup/" not in page and "administrat" in page
    assert 'href="/accounts/password/reset/"' in page
    reset_by_key = (
        "/accounts/password/reset/",
        "/accounts/password/reset/done/",
        "/accounts/password/reset/key/done/",
        "/accounts/password/reset/key/1-set-password/",  # allauth's link, never mailed here
    )
    for url in reset_by_key:
        for method in ("get", "post"):
            response = getattr(Client(), method)(url, {"password1": "x", "email": "a@b.org"})
            assert response.status_code == 200, url
            assert "administrat" in response.content.decode()
    for url in ("/accounts/confirm-email/", "/accounts/confirm-email/some-key/"):
        assert Client().get(url).status_code == 404  # no mail is ever sent to confirm


def test_an_administrator_unlocks_an_account_and_sets_a_new_password(people, as_user):
    worker = people["caseworker"]
    for _ in range(5):
        Client().post("/accounts/login/", {"login": worker.username, "password": "wrong"})
    assert (
        Client()
        .post("/accounts/login/", {"login": worker.username, "password": PASSWORD})
        .status_code
        == 429
    )
    admin = as_user(people["administrator"])
    page = admin.get(reverse("accounts:user_edit", args=[worker.pk])).content.decode()
    assert "tentatives de connexion échouées" in page and "verrouillé" in page
    assert 'id="unlock"' in page

    listed = admin.get(reverse("accounts:user_list")).content.decode()
    assert listed.count("verrouillé</span>") == 1
    assert _recover(admin, worker, "unlock").status_code == 302
    assert "verrouillé</span>" not in admin.get(reverse("accounts:user_list")).content.decode()
    assert _audited(worker, "account unlocked") == 1
    weak = _recover(admin, worker, "password", {"password-password": "1234"})
    assert weak.status_code == 302 and _audited(worker, "password changed") == 0
    # The refusal is said beside the field of the page the administrator goes back to.
    again = admin.get(weak["Location"].split("#")[0]).content.decode()
    assert 'id="password"' in again and "errorlist" in again
    _recover(admin, worker, "password", {"password-password": "Lome-Kpalime-2026"})
    assert _audited(worker, "password changed") == 1
    person = Client()
    signed_in = person.post(
        "/accounts/login/", {"login": worker.username, "password": "Lome-Kpalime-2026"}
    )
    assert signed_in.status_code == 302
    # A password someone else chose is for this sign-in only: every page asks for their own.
    assert person.get("/cases/")["Location"] == "/accounts/password/change/"
    assert person.get("/api/cases/").status_code == 403
    changed = person.post(
        "/accounts/password/change/",
        {
            "oldpassword": "Lome-Kpalime-2026",
            "password1": "Sokode-Kara-2026",
            "password2": "Sokode-Kara-2026",
        },
    )
    assert changed.status_code == 302
    assert person.get("/cases/").status_code == 200


def test_a_lost_phone_second_factor_is_reset_once_confirmed(people, as_user):
    investigator = people["investigator"]
    assert Authenticator.objects.filter(user=investigator).exists()  # the people fixture's
    admin = as_user(people["administrator"])
    _recover(admin, investigator, "second_factor")  # the box is not ticked: nothing happens
    assert Authenticator.objects.filter(user=investigator).exists()
    _recover(admin, investigator, "second_factor", {"second_factor-confirm": "on"})
    assert not Authenticator.objects.filter(user=investigator).exists()
    assert _audited(investigator, "second factor reset") == 1


def test_no_one_recovers_their_own_account_nor_one_they_cannot_see(people, as_user):
    admin_user = people["administrator"]
    admin = as_user(admin_user)
    _recover(admin, admin_user, "second_factor", {"second_factor-confirm": "on"})
    _recover(admin, admin_user, "password", {"password-password": "Lome-Kpalime-2026"})
    assert Authenticator.objects.filter(user=admin_user).exists()
    assert not admin_user.__class__.objects.get(pk=admin_user.pk).check_password(
        "Lome-Kpalime-2026"
    )
    foreign = people["other_country.caseworker"]
    assert _recover(admin, foreign, "unlock").status_code == 404
    assert _recover(admin, people["caseworker"], "nonsense").status_code == 403


@pytest.mark.parametrize("action", ["unlock", "password", "second_factor"])
def test_only_administrators_recover_accounts(people, action):
    target = make_user("caseworker", agency=people["caseworker"].agency, username=f"t.{action}")
    url = reverse("accounts:user_recover", args=[target.pk, action])
    assert check_matrix(url, people, {Role.ADMINISTRATOR}, method="post") == []


def test_a_person_changes_their_own_password_from_the_link_under_their_name(people, as_user):
    worker = people["caseworker"]
    client = as_user(worker)
    assert 'href="/accounts/password/change/"' in client.get("/").content.decode()
    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "Aneho-Tsevie-2026",
            "password2": "Aneho-Tsevie-2026",
        },
    )
    assert response.status_code == 302
    assert _audited(worker, "password changed") == 1


def test_a_person_reads_their_address_but_an_administrator_records_it(people, as_user):
    client = as_user(people["caseworker"])
    assert client.get("/accounts/email/").status_code == 200
    # allauth's page mailed a confirmation to an added address (a 500 with no mail server).
    assert (
        client.post("/accounts/email/", {"email": "x@example.org", "action_add": ""}).status_code
        == 405
    )
    assert Client().get("/accounts/email/").status_code == 302


def test_a_role_that_needs_the_second_factor_cannot_remove_it_others_can(people):
    from allauth.mfa.totp.forms import DeactivateTOTPForm

    investigator = people["investigator"]
    own = Authenticator.objects.get(user=investigator, type=Authenticator.Type.TOTP)
    assert not DeactivateTOTPForm({}, authenticator=own).is_valid()
    worker = people["caseworker"]
    theirs = Authenticator.objects.create(user=worker, type=Authenticator.Type.TOTP, data={})
    assert DeactivateTOTPForm({}, authenticator=theirs).is_valid()
