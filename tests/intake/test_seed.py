"""The demo seeds hand-offs in every state and hotline intakes at every step, through the
services, idempotently."""

from __future__ import annotations

from corridor.accounts.seed import seed_accounts
from corridor.flows import seeding as flows_seeding
from corridor.intake import seed
from corridor.intake.models import DutyAgency, Handoff, Intake
from corridor.referrals.seed import seed_providers
from corridor.screening.seed import seed_screenings


def test_the_demo_seeds_every_state(db, settings):
    seed_accounts()
    seed_screenings()  # before the points exist, as in `corridor demo`: no hand-off from them
    flows_seeding.seed(days=2)
    seed_providers()
    first = seed.seed()
    assert first["hand-offs"] == 5 and first["intakes"] == 8
    assert set(Handoff.objects.values_list("status", flat=True)) == set(Handoff.Status.values)
    waiting = Handoff.objects.filter(status=Handoff.Status.WAITING)
    assert any(h.overdue for h in waiting) and not all(h.overdue for h in waiting)
    assert Handoff.objects.exclude(intel_report_id=None).count() == 1
    assert set(Intake.objects.values_list("status", flat=True)) == set(Intake.Status.values)
    assert set(Intake.objects.values_list("outcome", flat=True)) == {"", *Intake.Outcome.values}
    assert first["duty regions"] == DutyAgency.objects.count() > 0
    duties = list(DutyAgency.objects.values_list("region", "agency", "updated_at"))
    again = seed.seed()
    assert again == {"duty regions": 0, "hand-offs": 0, "intakes": 0}
    assert list(DutyAgency.objects.values_list("region", "agency", "updated_at")) == duties
