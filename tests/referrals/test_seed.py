"""The demo's referrals: one in every state between a node's caseworker and its shelter, through
the services (consent first), and none added by a second run."""

from corridor.accounts.seed import seed_accounts
from corridor.cases.seed import seed_cases
from corridor.referrals.models import CrossBorderReferral, Referral
from corridor.referrals.seed import seed_cross_border, seed_providers, seed_referrals


def test_the_demo_refers_cases_in_every_state_once(db):
    seed_accounts()
    seed_providers()
    seed_cases()
    assert seed_referrals() == {"referrals": 4}
    states = set(Referral.objects.values_list("status", flat=True))
    assert states == {"sent", "accepted", "completed", "declined"}
    declined = Referral.objects.get(status="declined")
    assert declined.decision_reason and declined.decided_by.username == "tg.shelter"
    for referral in Referral.objects.select_related("case"):
        assert referral.case.consents.filter(purpose="referral").exists()
    assert seed_referrals() == {"referrals": 0} and Referral.objects.count() == 4
    # Togo's node refers nothing across the border itself (Gabon does, once federated).
    assert seed_cross_border() == {"cross-border referrals": 0}
    assert not CrossBorderReferral.objects.exists()
