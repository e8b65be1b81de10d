"""Items 16 and 17: what is published is k-anonymous over every published column, the unit of
privacy is a person (not a case), privacy budgets do not overlap, and `corridor reports ctdc`
writes exactly what a publication would contain."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from corridor.accounts.models import Role
from corridor.audit.models import AuditEntry
from corridor.cases.services import case_open
from corridor.people.services import person_create
from corridor.reports import anonymise, services
from corridor.reports.anonymise import Victim, group_sizes, k_anonymise


def _victim(person=None, **changes) -> Victim:
    values = dict(
        registered_on=date(2025, 3, 1),
        gender="Feminine",
        age=15,
        is_child=True,
        citizenship="TG",
        country_of_exploitation="GA",
        exploitation=("ChildLabour",),
        means_of_control=("FalsePromises",),
    )
    if person is not None:
        values["person"] = person
    return Victim(**(values | changes))


def _smallest_over_all_published_columns(rows: list[dict]) -> int:
    columns = tuple(c for c in anonymise.columns() if c != "Datasource")
    sizes = group_sizes(rows, columns)
    return min(sizes.values()) if sizes else 0


def test_a_unique_means_of_control_does_not_single_a_person_out():
    victims = [_victim() for _ in range(30)]
    victims.append(_victim(means_of_control=("FalsePromises", "DebtBondage")))
    result = k_anonymise(victims)
    assert result.rows
    assert _smallest_over_all_published_columns(result.rows) >= 11
    assert not any(r["meansOfControlDebtBondage"] == "1" for r in result.rows)


def test_a_unique_form_of_exploitation_does_not_single_a_person_out():
    victims = [_victim() for _ in range(20)]
    victims.append(_victim(exploitation=("ChildLabour", "ForcedMarriage")))
    result = k_anonymise(victims)
    assert _smallest_over_all_published_columns(result.rows) >= 11
    assert not any(r["isForcedMarriage"] == "1" for r in result.rows)


def test_a_person_with_many_cases_is_one_person():
    result = k_anonymise([_victim("same person") for _ in range(15)])
    assert result.rows == [] and result.suppressed == 1


def test_one_per_person_keeps_every_form_of_a_persons_cases():
    merged = anonymise.one_per_person(
        [
            _victim("p", registered_on=date(2025, 5, 1), exploitation=("ForcedBegging",)),
            _victim("p", registered_on=date(2025, 2, 1), exploitation=("ChildLabour",)),
            _victim(None),
            _victim(None),
        ]
    )
    assert len(merged) == 3
    person = next(v for v in merged if v.person == "p")
    assert person.registered_on == date(2025, 2, 1)
    assert person.exploitation == ("ChildLabour", "ForcedBegging")


def _case(people, person=None, **person_values):
    coordinator = people[Role.COORDINATOR]
    values = dict(
        given_names="Ama",
        family_name="DEMO-TEST",
        gender="Feminine",
        birth_date=date(2012, 5, 1),
        citizenships=["BJ"],
    )
    person = person or person_create(actor=coordinator, **(values | person_values))
    case_open(
        actor=coordinator,
        person=person,
        identified_on=timezone.localdate() - timedelta(days=10),
        exploitation_types=["ChildLabour"],
        trafficking_status="PossibleVictimOfTrafficking",
    )
    return person


def _budget(people, name, start, end, epsilon=2.0):
    return services.privacy_budget_create(
        actor=people[Role.COORDINATOR],
        name=name,
        epsilon_total=epsilon,
        period_start=start,
        period_end=end,
    )


@pytest.mark.django_db
def test_differentially_private_counts_count_persons(people):
    twice = _case(people)
    _case(people, person=twice)
    _case(people, person=twice)
    _case(people)
    today = timezone.localdate()
    budget = _budget(people, "test", today - timedelta(days=30), today, epsilon=1000)
    # ε = 1000: the noise is nil, the count is the exact number of persons
    release = services.publication_dp_release(
        actor=people[Role.COORDINATOR], budget=budget, dimension="sex", epsilon=1000
    )
    assert release.result["counts"]["female"] == 2


@pytest.mark.django_db
def test_privacy_budgets_may_not_overlap(people):
    _budget(people, "2025", date(2025, 1, 1), date(2025, 12, 31))
    for start, end in (
        (date(2025, 1, 1), date(2025, 12, 31)),
        (date(2024, 7, 1), date(2025, 1, 1)),
        (date(2025, 6, 1), date(2025, 6, 2)),
    ):
        with pytest.raises(ValidationError, match="overlaps the budget “2025”"):
            _budget(people, f"again {start}", start, end)
    _budget(people, "2026", date(2026, 1, 1), date(2026, 12, 31))


@pytest.mark.django_db
def test_the_budget_overlap_error_is_translated(people):
    from django.utils import translation

    _budget(people, "2025", date(2025, 1, 1), date(2025, 12, 31))
    with translation.override("fr"), pytest.raises(ValidationError) as error:
        _budget(people, "bis", date(2025, 3, 1), date(2025, 3, 31))
    assert "chevauche" in " ".join(error.value.messages)


@pytest.mark.django_db
def test_the_ctdc_command_writes_what_a_publication_contains(people, tmp_path):
    for _ in range(12):
        _case(people)
    _case(people, gender="Masculine")  # a group of one: suppressed
    out = tmp_path / "ctdc.csv"
    stdout = io.StringIO()
    call_command("reports", "ctdc", "--user", "home.coordinator", "--out", str(out), stdout=stdout)
    start, end = timezone.localdate() - timedelta(days=365), timezone.localdate()
    publication = services.publication_ctdc_export(
        actor=people[Role.COORDINATOR], start=start, end=end
    )
    assert out.read_text(encoding="utf-8") == publication.content
    assert publication.records == 12
    assert "12 records written" in stdout.getvalue()
    entry = AuditEntry.objects.get(object_type="reports.ctdc")
    assert entry.action == "export" and entry.actor == people[Role.COORDINATOR]
    assert entry.detail == {"k": 11, "records": 12, "suppressed": 1}


@pytest.mark.django_db
def test_the_ctdc_command_as_someone_who_may_not_publish(people, tmp_path):
    out = tmp_path / "ctdc.csv"
    with pytest.raises(CommandError):
        call_command("reports", "ctdc", "--user", "home.partner", "--out", str(out))
    with pytest.raises(CommandError):
        call_command("reports", "ctdc", "--user", "nobody", "--out", str(out))
    with pytest.raises(CommandError):
        call_command(
            "reports", "ctdc", "--user", "home.coordinator", "--out", str(out), "--from", "x"
        )
    assert not out.exists()
