"""French everywhere (issue 17, item 11): every role signs in, opens every page of its menu and
the main detail pages in French, and no known English word or raw vocabulary code is shown."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.utils import timezone

from corridor.cases import services
from corridor.core.navigation import menu_for
from corridor.people.services import person_create
from corridor.screening.services import screening_record

pytestmark = pytest.mark.django_db

# Words a French reader should never meet on a page (seen in the walk of issue 17), matched as
# whole words in the visible text.
ENGLISH = [
    "approved", "rejected", "pending", "female", "male", "women", "men", "children",
    "Shelter", "Transporter", "Recruiter", "by sex", "Server Error", "Submit", "Save",
    "Cancel", "Search", "None", "True", "False", "ChildLabour", "ForcedLabour",
    "SexualExploitation", "Masculine", "Feminine", "child_on_the_move", "given_names",
]  # fmt: skip
TAGS = re.compile(r"<(script|style)[^>]*>.*?</\1>|<[^>]+>", re.S)


def visible_text(html: str) -> str:
    return unescape(TAGS.sub(" ", html))


RAW_CODE = re.compile(r"^[A-Z][a-z]+[A-Z]\w*$|^[a-z]+_[a-z_]+$")


def _raw_codes() -> list[str]:
    """Codes of the case vocabularies a person could meet raw (``ChildLabour``,
    ``child_on_the_move``): written the way no French or English word is."""
    from corridor.core.vocab import vocabulary

    names = ["cases.exploitation", "cases.support_type", "cases.caseload", "people.migrant_status"]
    return sorted(
        {t.code for name in names for t in vocabulary(name).terms if RAW_CODE.match(t.code)}
    )


def english_in(text: str) -> list[str]:
    words = ENGLISH + _raw_codes()
    return [w for w in words if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)]


@pytest.fixture
def demo_like(people):
    worker = people["caseworker"]
    person = person_create(
        actor=worker, given_names="Ama", family_name="AKUÉ", estimated_age=12, gender="Feminine"
    )
    case = services.case_open(
        actor=worker,
        person=person,
        caseload="presumed_trafficking_victim",
        exploitation_types=["ChildLabour"],
    )
    services.service_record(
        actor=worker, case=case, service_type="Shelter", delivered_on=timezone.localdate()
    )
    approval = services.approval_request(actor=worker, case=case, kind="bid", comment="Famille.")
    screening = screening_record(
        actor=worker, questionnaire="unodc_child", answers={}, person=person
    )
    return {
        "case": f"/cases/{case.pk}/",
        "approval": f"/cases/approvals/{approval.pk}/",
        "person": f"/people/{person.pk}/",
        "screening": f"/screening/{screening.uid}/",
    }


ROLES = [
    "caseworker", "supervisor", "coordinator", "border_officer", "investigator", "partner",
    "administrator", "call_taker",
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_the_menu_reads_french(role, people, demo_like, client):
    user = people[role]
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    client.cookies["django_language"] = "fr"
    urls = ["/"] + [item["url"] for item in menu_for(user)]
    urls += [u for u in demo_like.values() if role in ("caseworker", "supervisor", "coordinator")]
    problems = {}
    for url in urls:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        found = english_in(visible_text(response.content.decode()))
        if found:
            text = visible_text(response.content.decode())
            problems[url] = [
                text[max(0, m.start() - 60) : m.end() + 20].split("\n")[-1]
                for w in found
                for m in [re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)]
            ]
    assert problems == {}
