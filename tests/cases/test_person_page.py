import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from corridor.accounts.models import Role
from corridor.audit.models import AuditEntry
from corridor.people.models import Person, PersonDocument, PersonPhone

pytestmark = pytest.mark.django_db
PNG = base64.b64decode(  # a 4×4 red picture, as Pillow writes it (photos are re-encoded)
    "iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAFElEQVR4nGM8wcXFAANMDEgANwcALLoA5DVVUv0AAAAASUVORK5CYII="
)


def _post(client, person, action, data, **kw):
    return client.post(reverse("people:action", args=[person.pk, action]), data, follow=True, **kw)


def test_add_phone_name_and_document(people, as_user, child_case):
    person = child_case.person
    client = as_user(people["caseworker"])
    _post(client, person, "phone", {"phone-number": "+241 06 12 34 56", "phone-label": "tante"})
    _post(client, person, "name", {"name-name": "Mimi", "name-kind": "nickname"})
    _post(
        client,
        person,
        "document",
        {
            "document-doc_type": "birth_certificate",
            "document-number": "AB-123",
            "document-issuing_country": "tg",
        },
    )
    assert PersonPhone.objects.get(person=person).number == "+24106123456"
    assert PersonDocument.objects.get(person=person).issuing_country == "TG"
    from corridor.people.selectors import person_search

    assert person in person_search(people["caseworker"], "mimi")


@pytest.mark.parametrize(
    "action,data",
    [
        ("phone", {"phone-number": "12"}),
        ("document", {"document-doc_type": "passport", "document-issuing_country": "ZZ"}),
        ("name", {"name-name": " ", "name-kind": "alias"}),
    ],
)
def test_bad_person_input_changes_nothing(people, as_user, child_case, action, data):
    client = as_user(people["caseworker"])
    client.cookies["corridor_language"] = "en"

    def state():
        writes = AuditEntry.objects.exclude(action__in=["read", "login"]).count()
        return PersonPhone.objects.count(), PersonDocument.objects.count(), writes

    before = state()
    response = _post(client, child_case.person, action, data)
    assert "Nothing was saved" in response.content.decode()
    assert state() == before


def test_photo_is_encrypted_scoped_and_audited(people, as_user, child_case, client):
    person = child_case.person
    worker = as_user(people["caseworker"])
    _post(
        worker,
        person,
        "photo",
        {"photo-photo": SimpleUploadedFile("a.png", PNG, content_type="image/png")},
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT photo FROM people_person WHERE id = %s", [person.pk])
        assert b"PNG" not in cursor.fetchone()[0].encode()
    reads = AuditEntry.objects.filter(action="read", object_id=str(person.pk))
    before = reads.count()
    response = worker.get(reverse("people:photo", args=[person.pk]))
    assert response.status_code == 200 and response.content == PNG
    assert response["Content-Type"] == "image/png"
    assert reads.count() == before + 1
    from tests.permissions import check_matrix

    url = reverse("people:photo", args=[person.pk])
    allowed = {Role.CASEWORKER, Role.SUPERVISOR, Role.COORDINATOR, Role.BORDER_OFFICER}
    assert check_matrix(url, people, allowed, other_agency_allowed={Role.COORDINATOR}) == []


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("a.png", b"not an image at all", content_type="image/png"),
        SimpleUploadedFile("a.exe", b"MZ\x90\x00" * 10, content_type="application/octet-stream"),
        SimpleUploadedFile("big.png", PNG + b"\x00" * (2 * 1024 * 1024), content_type="image/png"),
    ],
)
def test_wrong_or_oversized_photo_is_refused(people, as_user, child_case, upload):
    client = as_user(people["caseworker"])
    client.cookies["corridor_language"] = "en"
    response = _post(client, child_case.person, "photo", {"photo-photo": upload})
    assert "Nothing was saved" in response.content.decode()
    assert Person.objects.get(pk=child_case.person.pk).photo == ""


def test_person_actions_need_a_writer(people, as_user, child_case):
    response = as_user(people["coordinator"]).post(
        reverse("people:action", args=[child_case.person.pk, "phone"]),
        {"phone-number": "+22890123456"},
    )
    assert response.status_code == 302
    for role in ("investigator", "partner", "administrator"):
        response = as_user(people[role]).post(
            reverse("people:action", args=[child_case.person.pk, "phone"]),
            {"phone-number": "+22890123456"},
        )
        assert response.status_code == 403
    assert PersonPhone.objects.count() == 1


def test_a_guardian_mother_is_not_called_tuteur(people, as_user, child_case):
    """The family list says who has legal custody in words that fit a mother as a father."""
    from corridor.people.services import person_add_relationship

    person = child_case.person
    person_add_relationship(
        actor=people["caseworker"],
        person=person,
        kind="mother",
        relative_name="Essi AKUÉ",
        is_guardian=True,
    )
    page = as_user(people["caseworker"]).get(reverse("people:detail", args=[person.pk]))
    assert "Essi AKUÉ · a la garde légale" in page.content.decode()
