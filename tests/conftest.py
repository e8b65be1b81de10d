from __future__ import annotations

import os

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import translation

from corridor.accounts.models import Role
from corridor.cases import services as case_services
from corridor.people.services import person_create
from tests.factories import make_agency, make_user
from tests.federation.nodes import demo_template_url, drop_database

DATABASE_FIXTURES = frozenset({"db", "transactional_db", "django_db_setup", "live_server"})


def pytest_collection_modifyitems(config, items):
    """Mark ``database_independent`` every test that touches no database pytest provides (no
    database fixture, no ``django_db`` mark, no node processes): it runs the same whatever
    DATABASE_URL says, so CI's PostgreSQL leg leaves it out (``-m "not
    database_independent"``) after the SQLite leg has run it."""
    for item in items:
        if (
            not DATABASE_FIXTURES & set(item.fixturenames)
            and item.get_closest_marker("django_db") is None
            and item.get_closest_marker("slow") is None
        ):
            item.add_marker(pytest.mark.database_independent)


def pytest_sessionfinish(session):
    """The main process drops the run's seeded demo node database, which every worker may have
    copied (tests/federation/nodes.py, ``demo_node``)."""
    database_url = os.environ.get("DATABASE_URL")
    if database_url and not os.environ.get("PYTEST_XDIST_WORKER"):
        drop_database(demo_template_url(database_url))


pytest_plugins = ["tests.browser_support", "tests.scheduling"]


@pytest.fixture(autouse=True)
def english_messages():
    """Service-level assertions read the English source messages; requests still activate the
    language the user chose (French by default) through the middleware."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def second_factor_on_force_login():
    """``client.force_login`` stands for a finished sign-in, second factor included (the sign-in
    flow has tests of its own, tests/security/test_mfa.py). A real sign-in through allauth leaves
    its authentication records in the session and is left alone."""
    from allauth.account.authentication import get_authentication_records
    from django.contrib.auth.signals import user_logged_in

    from corridor.accounts.mfa import mark_second_factor

    def mark(sender, request, user, **kwargs):
        if not get_authentication_records(request, user):
            mark_second_factor(request, user)

    user_logged_in.connect(mark, dispatch_uid="tests-force-login-second-factor")
    yield
    user_logged_in.disconnect(dispatch_uid="tests-force-login-second-factor")


@pytest.fixture(autouse=True)
def standing_agreement_for_every_peer(request, monkeypatch):
    """As in the demo, every peer a test registers comes with a data-sharing agreement in force
    for every purpose, so that messages may leave (the transport's own ``test.*`` types serve
    joint monitoring); tests marked ``no_standing_agreement`` (tests/governance) register their
    own, or none."""
    from corridor.governance.models import MESSAGE_PURPOSES, Purpose

    monkeypatch.setitem(MESSAGE_PURPOSES, "test.", Purpose.JOINT_MONITORING)
    if request.node.get_closest_marker("no_standing_agreement"):
        yield
        return
    from django.db.models.signals import post_save

    from corridor.federation.models import Peer
    from tests.factories import make_agreement

    def agree(sender, instance, created, **kwargs):
        if created:
            make_agreement(peer=instance.name)

    post_save.connect(agree, sender=Peer, dispatch_uid="tests-standing-agreement")
    yield
    post_save.disconnect(sender=Peer, dispatch_uid="tests-standing-agreement")


@pytest.fixture(autouse=True)
def audit_checkpoint_per_test(settings, tmp_path):
    """Each test's database starts a new audit chain, so each gets its own checkpoint file."""
    settings.CORRIDOR_AUDIT_CHECKPOINT = tmp_path / "audit-checkpoint.json"


@pytest.fixture(autouse=True)
def api_matrix_checked(request):
    """A test marked ``api_matrix("GET api:case-list", …)`` must check the permission matrix of
    each route it names (``check_api_matrix`` records them); ``tests/api/test_routes.py`` reads
    the markers to prove every API route has such a test."""
    marker = request.node.get_closest_marker("api_matrix")
    if marker is None:
        yield
        return
    from tests.api.permissions import CHECKED_ROUTES

    CHECKED_ROUTES.clear()
    yield
    missing = set(marker.args) - CHECKED_ROUTES
    assert not missing, f"the api_matrix marker names routes the test never checked: {missing}"


@pytest.fixture
def home_agency(db):
    return make_agency(name="Home agency (TG)")


@pytest.fixture
def people(db, home_agency):
    """One user per role in the home agency, plus the same roles in another agency of the same
    country and in an agency of the other country (the permission matrix's outsiders)."""
    other_agency = make_agency(name="Other agency (TG)")
    foreign_agency = make_agency(name="Foreign agency (GA)", country="GA")
    users = {}
    for role in Role.values:
        users[role] = make_user(role, agency=home_agency, username=f"home.{role}")
        users[f"other_agency.{role}"] = make_user(
            role, agency=other_agency, username=f"other.{role}"
        )
        users[f"other_country.{role}"] = make_user(
            role, agency=foreign_agency, username=f"foreign.{role}"
        )
    for user in users.values():
        if user.mfa_required:
            TOTP.activate(user, "JBSWY3DPEHPK3PXP")
    return users


@pytest.fixture
def as_user(client):
    """Log a client in without going through MFA (the login flow has tests of its own)."""

    def login(user):
        client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
        return client

    return login


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


@pytest.fixture
def child_case(people):
    """A child's case owned by the home agency's caseworker."""
    worker = people["caseworker"]
    person = person_create(
        actor=worker, given_names="Ama", family_name="AKUÉ", estimated_age=12, citizenships=["TG"]
    )
    return case_services.case_open(
        actor=worker,
        person=person,
        identified_at_place="Libreville",
        caseload="presumed_trafficking_victim",
    )


@pytest.fixture
def adult_case(people):
    worker = people["caseworker"]
    person = person_create(
        actor=worker,
        given_names="Kodjo",
        family_name="SEWA",
        birth_date=__import__("datetime").date(1990, 5, 1),
    )
    return case_services.case_open(
        actor=worker, person=person, caseload="presumed_trafficking_victim"
    )
