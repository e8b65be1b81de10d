"""GLOTIP tables on a hand-made data set whose answer was computed by hand (see each figure's
comment): persons, not cases; an accused convicted on two charges is one convicted person; the
same intelligence person accused in two cases is one person."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from django.core.management import call_command

from corridor.intel.models import Entity, EntityKind
from corridor.justice import services
from corridor.justice.glotip import glotip_csv, glotip_tables, glotip_xlsx
from corridor.justice.models import Charge

D = date


@pytest.fixture
def data_set(people):
    police, prosecutor = people["judicial_police"], people["prosecutor"]
    komlan = Entity.objects.create(
        kind=EntityKind.PERSON, name="Komlan AGBO", source="test", created_by=people["investigator"]
    )
    c1 = services.criminal_case_open(
        actor=prosecutor, title="C1", jurisdiction="tg_lome", opened_on=D(2025, 1, 5)
    )
    c2 = services.criminal_case_open(
        actor=prosecutor, title="C2", jurisdiction="tg_lome", opened_on=D(2025, 4, 1)
    )

    def add(case, name, sex, child, nat, offences, exploitation, complaint, entity=None):
        return services.accused_add(
            actor=police,
            criminal_case=case,
            name=name,
            sex=sex,
            is_child=child,
            citizenship=nat,
            offences=offences,
            exploitation=exploitation,
            complaint_on=complaint,
            intel_entity=entity,
        )

    def steps(accused, *moves):
        for kind, day, *rest in moves:
            extra = {}
            if kind == "judgment":
                extra = {
                    "charge": Charge.objects.get(accused=accused, offence=rest[0]),
                    "outcome": rest[1],
                }
            services.event_record(actor=prosecutor, accused=accused, kind=kind, date=day, **extra)

    trial = (
        ("arrest", D(2025, 1, 10)),
        ("referral", D(2025, 1, 12)),
        ("indictment", D(2025, 2, 1)),
        ("hearing", D(2025, 3, 1)),
    )
    a1 = add(c1, "Komlan AGBO", "M", False, "TG", ["tip_child"], "Servitude", D(2025, 1, 5), komlan)
    services.charge_add(
        actor=prosecutor, accused=a1, offence="tip_adult", exploitation="SexualExploitation"
    )
    steps(
        a1,
        *trial,
        ("judgment", D(2025, 3, 1), "tip_child", "convicted"),
        ("judgment", D(2025, 3, 1), "tip_adult", "convicted"),
    )
    a2 = add(c1, "Abla MBA", "F", False, "GA", ["tip_adult"], "SexualExploitation", D(2025, 1, 5))
    steps(a2, *trial, ("judgment", D(2025, 3, 1), "tip_adult", "acquitted"))
    a3 = add(c1, "Kodjo SENA", "M", True, "TG", ["smuggling"], "", D(2025, 1, 7))
    steps(a3, ("referral", D(2025, 1, 8)), ("dismissal", D(2025, 1, 20)))
    a4 = add(
        c1,
        "Chidi OKAFOR",
        "M",
        False,
        "NG",
        ["smuggling", "tip_adult"],
        "ForcedLabour",
        D(2024, 12, 20),
    )
    steps(
        a4,
        ("arrest", D(2025, 1, 3)),
        ("referral", D(2025, 1, 4)),
        ("indictment", D(2025, 1, 20)),
        ("hearing", D(2025, 2, 1)),
        ("judgment", D(2025, 2, 1), "smuggling", "convicted"),
        ("judgment", D(2025, 2, 1), "tip_adult", "acquitted"),
    )
    add(
        c2,
        "Komlan AGBO dit Le Boss",
        "M",
        False,
        "TG",
        ["tip_child"],
        "ForcedBegging",
        D(2025, 4, 1),
        komlan,
    )
    add(c2, "Essi LAWSON", "F", False, "TG", ["tip_adult"], "SexualExploitation", D(2026, 1, 5))


@pytest.mark.django_db
def test_the_hand_computed_tables(data_set):
    t = glotip_tables(2025)
    tip, smug = t["trafficking"], t["smuggling"]
    # contact: Komlan (two accused records, one intelligence person), Abla, Chidi (arrested 2025)
    assert tip["contact"] == {
        "total": 3,
        "sex": {"female": 1, "male": 2},
        "age": {"adult": 3},
        "citizenship": {"GA": 1, "NG": 1, "TG": 1},
        "exploitation": {
            "ForcedBegging": 1,
            "ForcedLabour": 1,
            "Servitude": 1,
            "SexualExploitation": 2,
        },
    }
    # smuggling contact: Kodjo (a child) and Chidi
    assert smug["contact"] == {
        "total": 2,
        "sex": {"male": 2},
        "age": {"adult": 1, "child": 1},
        "citizenship": {"NG": 1, "TG": 1},
    }
    # prosecuted (indicted in 2025): Komlan, Abla, Chidi for trafficking; Chidi for smuggling
    assert tip["prosecuted"]["total"] == 3 and smug["prosecuted"]["total"] == 1
    # convicted: Komlan on two charges is one person; Chidi was acquitted of trafficking
    assert tip["convicted"] == {
        "total": 1,
        "sex": {"male": 1},
        "age": {"adult": 1},
        "citizenship": {"TG": 1},
        "exploitation": {"Servitude": 1, "SexualExploitation": 1},
    }
    assert smug["convicted"]["total"] == 1 and smug["convicted"]["citizenship"] == {"NG": 1}
    # offences recorded from the 2025 complaints (Chidi's complaint dates from 2024)
    assert t["offences_recorded"] == {"smuggling": 1, "tip_adult": 2, "tip_child": 2}
    # Essi's complaint is in 2026
    assert glotip_tables(2026)["trafficking"]["contact"]["total"] == 1


@pytest.mark.django_db
def test_the_command_and_the_exports(data_set):
    out = io.StringIO()
    call_command("reports", "glotip", "--year", "2025", "--json", stdout=out)
    printed = json.loads(out.getvalue())
    assert printed["trafficking"]["convicted"]["total"] == 1
    rows = list(csv.reader(io.StringIO(glotip_csv(glotip_tables(2025)))))
    assert rows[0] == [
        "year",
        "country",
        "offence_category",
        "measure",
        "breakdown",
        "value",
        "persons",
    ]
    assert ["2025", "TG", "trafficking", "convicted", "total", "", "1"] in rows
    assert glotip_xlsx(glotip_tables(2025))[:2] == b"PK"


@pytest.mark.django_db
def test_the_glotip_page_and_its_downloads(data_set, people, as_user):
    from tests.permissions import check_matrix

    readers = {"coordinator", "prosecutor", "judicial_police"}
    assert check_matrix("/justice/glotip/?year=2025", people, readers) == []
    client = as_user(people["coordinator"])
    assert "Komlan" not in client.get("/justice/glotip/?year=2025").content.decode()
    response = client.get("/justice/glotip/?year=2025&format=csv")
    assert b"trafficking,convicted,total,,1" in response.content
    assert client.get("/justice/glotip/?year=2025&format=xlsx").content[:2] == b"PK"


def test_the_indicators_page_counts_the_same_persons(data_set, people):
    """The indicators' criminal-justice figures are GLOTIP's persons of the period (trafficking),
    not victims' cases."""
    from datetime import date

    from corridor.reports.indicators import unodc_justice_table

    year = glotip_tables(2025)["trafficking"]
    figures = unodc_justice_table(people["coordinator"], date(2025, 1, 1), date(2025, 12, 31))
    assert figures == {
        "suspected": year["contact"]["total"],
        "prosecuted": year["prosecuted"]["total"],
        "convicted": year["convicted"]["total"],
    }
    assert figures["convicted"] >= 1
