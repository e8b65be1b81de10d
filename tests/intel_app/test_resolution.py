"""The judgement log, duplicate proposals, merge and unmerge."""

import pytest
from django.core.exceptions import ValidationError

from corridor.intel import analysis, resolution, selectors, services
from corridor.intel.models import Entity, Event, Link, MatchJudgement


def network_of(user=None):
    return analysis.load_network(
        entities=Entity.objects.all(), links=Link.objects.all(), events=Event.objects.all()
    )


@pytest.mark.django_db
def test_judgement_log_is_append_only_and_latest_wins(seeded, people):
    kossi = Entity.objects.get(name="Kossi FICTIF")
    kwasi = Entity.objects.get(name="Kwasi FICTIF")
    first = services.judgement_record(
        actor=people["investigator"], left=kossi, right=kwasi, decision="unsure"
    )
    second = services.judgement_record(
        actor=people["investigator"],
        left=kwasi,
        right=kossi,
        decision="negative",
        comment="different fathers",
    )
    assert MatchJudgement.objects.count() == 2
    assert (first.left_id, first.right_id) == (second.left_id, second.right_id)
    assert selectors.current_decision(left=kossi, right=kwasi).pk == second.pk
    first.comment = "edited"
    with pytest.raises(ValidationError):
        first.save()
    with pytest.raises(ValidationError):
        first.delete()
    with pytest.raises(ValidationError):
        services.judgement_record(actor=None, left=kossi, right=kossi, decision="positive")
    with pytest.raises(ValidationError):
        services.judgement_record(actor=None, left=kossi, right=kwasi, decision="maybe")
    assert MatchJudgement.objects.count() == 2


@pytest.mark.django_db
def test_clusters_are_components_of_current_positive_judgements(seeded):
    a, b, c, d = Entity.objects.filter(kind="person").order_by("pk")[:4]
    services.judgement_record(actor=None, left=a, right=b, decision="positive")
    services.judgement_record(actor=None, left=b, right=c, decision="positive")
    services.judgement_record(actor=None, left=c, right=d, decision="positive")
    services.judgement_record(actor=None, left=c, right=d, decision="negative")
    clusters = selectors.judgement_clusters(MatchJudgement.objects.all())
    assert clusters == [
        {("intel.entity", str(a.pk)), ("intel.entity", str(b.pk)), ("intel.entity", str(c.pk))}
    ]


@pytest.mark.django_db
def test_proposals_explain_themselves(seeded):
    proposals = resolution.propose(entities=Entity.objects.all(), links=Link.objects.all())
    pairs = {(p.left.name, p.right.name) for p in proposals}
    assert pairs == {("Kossi FICTIF", "Kwasi FICTIF"), ("TG 4821 AB", "TG 482I AB")}
    plate = next(p for p in proposals if p.left.kind == "vehicle")
    assert "TG4821AB" in plate.reasons[0] and "TG482IAB" in plate.reasons[0]


@pytest.mark.django_db
def test_phone_under_two_country_codes_is_proposed(db):
    """A Beninese number (ten digits since 2024) keyed as a Togolese one by dropping its 01."""
    a = services.entity_create(actor=None, kind="phone", name="+22897123456", source="test")
    b = services.entity_create(actor=None, kind="phone", name="+2290197123456", source="test")
    c = services.entity_create(actor=None, kind="phone", name="+22897123457", source="test")
    (proposal,) = resolution.propose(entities=Entity.objects.filter(pk__in=[a.pk, b.pk, c.pk]))
    assert {proposal.left.pk, proposal.right.pk} == {a.pk, b.pk}
    assert "97123456" in proposal.reasons[0]


@pytest.mark.django_db
def test_merge_and_unmerge_through_the_pages(seeded, people, as_user):
    client = as_user(people["investigator"])
    kossi = Entity.objects.get(name="Kossi FICTIF")
    kwasi = Entity.objects.get(name="Kwasi FICTIF")
    before = network_of()
    assert str(kwasi.pk) in before.entities
    kossi_degree = before.network.graph.degree(before.network.index(str(kossi.pk)))

    response = client.post(
        "/intel/duplicates/judge/",
        {"left": kossi.pk, "right": kwasi.pk, "decision": "positive", "comment": "same man"},
    )
    assert response.status_code == 302
    kwasi.refresh_from_db()
    assert kwasi.merged_into_id == kossi.pk
    merged = network_of()
    assert str(kwasi.pk) not in merged.entities
    assert merged.network.graph.vcount() == before.network.graph.vcount() - 1
    assert merged.network.graph.degree(merged.network.index(str(kossi.pk))) > kossi_degree
    # Its links stay where they were: history is kept.
    assert Link.objects.filter(source_entity=kwasi).count() == 1
    proposals = client.get("/intel/duplicates/").content.decode()
    assert f'href="/intel/entities/{kwasi.pk}/"' not in proposals

    response = client.post(f"/intel/entities/{kwasi.pk}/unmerge/", {"comment": "new evidence"})
    assert response.status_code == 302
    kwasi.refresh_from_db()
    assert kwasi.merged_into_id is None
    after = network_of()
    assert after.network.graph.vcount() == before.network.graph.vcount()
    assert after.network.graph.degree(after.network.index(str(kossi.pk))) == kossi_degree
    decisions = list(MatchJudgement.objects.order_by("at", "id").values_list("decision", "comment"))
    assert decisions == [("positive", "same man"), ("negative", "new evidence")]


@pytest.mark.django_db
def test_merge_refuses_mixed_kinds_and_double_merges(seeded):
    kossi = Entity.objects.get(name="Kossi FICTIF")
    phone = Entity.objects.filter(kind="phone").first()
    with pytest.raises(ValidationError):
        services.entity_merge(actor=None, survivor=kossi, duplicate=phone)
    kwasi = Entity.objects.get(name="Kwasi FICTIF")
    services.entity_merge(actor=None, survivor=kossi, duplicate=kwasi)
    with pytest.raises(ValidationError):
        services.entity_merge(actor=None, survivor=kossi, duplicate=kwasi)
    with pytest.raises(ValidationError):
        services.entity_unmerge(actor=None, entity=kossi)


@pytest.mark.django_db
def test_unmerge_of_an_entity_that_is_not_merged_says_so(seeded, people, as_user):
    client = as_user(people["investigator"])
    kossi = Entity.objects.get(name="Kossi FICTIF")
    response = client.post(f"/intel/entities/{kossi.pk}/unmerge/", follow=True)
    assert "merged" in response.content.decode() or "fusionn" in response.content.decode()
    assert MatchJudgement.objects.count() == 0


@pytest.mark.django_db
def test_two_persons_of_one_name_are_said_to_share_it():
    a = services.entity_create(actor=None, kind="person", name="Yao DEMO", source="test")
    b = services.entity_create(actor=None, kind="person", name="Yao DEMO", source="test")
    c = services.entity_create(actor=None, kind="person", name="Yawo DEMO", source="test")
    reasons = {
        frozenset((p.left.pk, p.right.pk)): p.reasons
        for p in resolution.propose(entities=Entity.objects.filter(pk__in=[a.pk, b.pk, c.pk]))
    }
    assert reasons[frozenset((a.pk, b.pk))] == ["both are named “Yao DEMO”"]
    assert "spelling variants" in reasons[frozenset((a.pk, c.pk))][0]
