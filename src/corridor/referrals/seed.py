"""The demo's service directory (synthetic providers of both countries)."""

from __future__ import annotations

from importlib import resources

import yaml

from corridor.accounts.models import Agency
from corridor.referrals.models import ServiceProvider
from corridor.referrals.services import provider_save


def seed_providers() -> dict[str, int]:
    entries = yaml.safe_load(
        resources.files("corridor.referrals").joinpath("data/providers.yaml").read_text("utf-8")
    )
    created = 0
    for entry in entries:
        if ServiceProvider.objects.filter(name=entry["name"]).exists():
            continue
        agency_name = entry.pop("agency", None)
        agency = Agency.objects.filter(short_name=agency_name).first() if agency_name else None
        provider_save(actor=None, agency=agency, **entry)
        created += 1
    return {"providers": created}
