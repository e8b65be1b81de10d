"""Rules of the records: victims by reference only, no self-loops, gradings, keys."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from corridor.audit.models import AuditEntry
from corridor.intel import keys, services
from corridor.intel.models import Entity, Event, Link


@pytest.mark.django_db
def test_victim_is_a_case_reference_never_a_name():
    ref = services.entity_create(
        actor=None, kind="case_ref", name="tg-2025-0042", source="case file"
    )
    assert ref.name == "TG-2025-0042" and ref.key == "TG-2025-0042"
    with pytest.raises(ValidationError):
        services.entity_create(actor=None, kind="case_ref", name="Ama Koffi", source="x")
    with pytest.raises(ValidationError):
        services.entity_create(
            actor=None, kind="case_ref", name="TG-1", source="x", aliases=["Ama"]
        )
    assert Entity.objects.count() == 1


@pytest.mark.django_db
def test_numbers_are_keyed_once(settings):
    phone = services.entity_create(actor=None, kind="phone", name="90 12 34 56", source="x")
    assert (phone.key, phone.name, phone.country) == ("+22890123456", "+22890123456", "TG")
    with pytest.raises(ValidationError):
        services.entity_create(actor=None, kind="phone", name="+228 90-12-34-56", source="x")
    with pytest.raises(ValidationError):
        services.entity_create(actor=None, kind="phone", name="12345", source="x")
    plate = services.entity_create(actor=None, kind="vehicle", name="tg 4821-ab", source="x")
    assert plate.key == "TG4821AB"
    found, created = services.entity_get_or_create(
        actor=None, kind="vehicle", name="TG4821 AB", source="x"
    )
    assert (found.pk, created) == (plate.pk, False)
    assert keys.confusable_key("TG482IAB") == keys.confusable_key("TG4821AB")
    assert AuditEntry.objects.filter(object_type="intel.entity", action="create").count() == 2


@pytest.mark.django_db
def test_links_and_events_refuse_self_loops():
    a = services.entity_create(actor=None, kind="phone", name="90123456", source="x")
    b = services.entity_create(
        actor=None, kind="person", name="Yao DEMO", source="x", roles=["Transporter"]
    )
    with pytest.raises(ValidationError):
        services.link_create(actor=None, kind="uses", source_entity=b, target_entity=b, source="x")
    with pytest.raises(ValidationError):
        services.event_create(
            actor=None,
            kind="call",
            at=dt.datetime(2025, 1, 1, 10),
            participants=[(a, "caller"), (a, "callee")],
            source="x",
        )
    with pytest.raises(ValidationError):
        services.link_create(
            actor=None,
            kind="uses",
            source_entity=b,
            target_entity=a,
            source="x",
            start=dt.date(2025, 2, 1),
            end=dt.date(2025, 1, 1),
        )
    assert (Link.objects.count(), Event.objects.count()) == (0, 0)


@pytest.mark.django_db
def test_unknown_role_and_non_investigator_are_refused(people):
    with pytest.raises(ValidationError):
        services.entity_create(actor=None, kind="person", name="X DEMO", source="x", roles=["Boss"])
    with pytest.raises(PermissionDenied):
        services.entity_create(actor=people["caseworker"], kind="person", name="X DEMO", source="x")
    with pytest.raises(PermissionDenied):
        services.entity_create(
            actor=people["other_country.investigator"], kind="person", name="X DEMO", source="x"
        )
    assert Entity.objects.count() == 0


@pytest.mark.django_db
def test_forms_record_with_grading(people, as_user):
    client = as_user(people["investigator"])
    response = client.post(
        "/intel/reports/new/",
        {
            "title": "Rapport DEMO",
            "received_on": "2025-05-02",
            "source": "informateur DEMO-7",
            "reliability": "C",
            "credibility": "3",
            "handling": "C",
            "narrative": "Synthétique.",
        },
    )
    assert response.status_code == 302
    from corridor.intel.models import Report

    report = Report.objects.get()
    response = client.post(
        "/intel/entities/new/",
        {
            "kind": "person",
            "name": "Kossi FICTIF",
            "country": "TG",
            "roles": ["RecruiterOrIntermediary"],
            "aliases": "Le Grand, KF",
            "source": "informateur DEMO-7",
            "reliability": "C",
            "credibility": "3",
            "handling": "C",
            "report": report.pk,
        },
    )
    assert response.status_code == 302
    person = Entity.objects.get(kind="person")
    assert (person.grading, person.aliases, person.report_id) == (
        "C3",
        ["Le Grand", "KF"],
        report.pk,
    )
    response = client.post(
        "/intel/entities/new/",
        {
            "kind": "case_ref",
            "name": "Afi Mensah",
            "source": "x",
            "reliability": "A",
            "credibility": "1",
            "handling": "P",
        },
    )
    assert response.status_code == 200 and Entity.objects.count() == 1
    phone_response = client.post(
        "/intel/entities/new/",
        {
            "kind": "phone",
            "name": "90 12 34 56",
            "source": "x",
            "reliability": "A",
            "credibility": "1",
            "handling": "P",
        },
    )
    phone = Entity.objects.get(kind="phone")
    assert phone_response.status_code == 302
    response = client.post(
        "/intel/links/new/",
        {
            "kind": "uses",
            "source_entity": person.pk,
            "target_entity": phone.pk,
            "source": "x",
            "reliability": "B",
            "credibility": "2",
            "handling": "C",
        },
    )
    assert response.status_code == 302 and Link.objects.count() == 1
    response = client.post(
        "/intel/events/new/",
        {
            "kind": "recruitment",
            "at": "2025-04-01T10:00",
            "participants": [person.pk],
            "place": "Kpalimé",
            "source": "x",
            "reliability": "B",
            "credibility": "2",
            "handling": "C",
        },
    )
    assert response.status_code == 302 and Event.objects.get().place == "Kpalimé"
