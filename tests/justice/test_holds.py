"""The justice legal hold: a victim of a criminal case still open is kept by retention."""

from __future__ import annotations

from datetime import date

import pytest

from corridor.governance.holds import holds_on
from corridor.justice import services


@pytest.mark.django_db
def test_victim_of_an_open_criminal_case_is_held_until_it_ends(
    criminal_case, accused, police, prosecutor, victim_case
):
    assert not any("criminal case" in r for r in holds_on(person=None, case=victim_case))
    services.victim_link(actor=prosecutor, criminal_case=criminal_case, case_ref=victim_case.ref)
    reason = f"victim in an open criminal case ({criminal_case.ref})"
    assert reason in holds_on(person=None, case=victim_case)
    assert reason in holds_on(person=victim_case.person, case=None)
    services.event_record(actor=police, accused=accused, kind="referral", date=date(2026, 1, 8))
    services.event_record(
        actor=prosecutor, accused=accused, kind="dismissal", date=date(2026, 1, 20)
    )
    assert reason not in holds_on(person=None, case=victim_case)
