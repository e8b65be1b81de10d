"""The flow-monitoring vocabularies: points, regions and routes are data (YAML beside this file);
the closed value sets of a count are choices in code, so that migrations and forms see them."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from django.db import models
from django.utils.translation import gettext_lazy as _

VOCAB_DIR = Path(__file__).resolve().parent / "vocab"


class Direction(models.TextChoices):
    INBOUND = "in", _("Entering")
    OUTBOUND = "out", _("Leaving")


class Sex(models.TextChoices):
    FEMALE = "f", _("Female")
    MALE = "m", _("Male")


class AgeGroup(models.TextChoices):
    ADULT = "adult", _("Adult")
    CHILD = "child", _("Child (under 18)")


class Transport(models.TextChoices):
    FOOT = "foot", _("On foot")
    MOTORBIKE = "motorbike", _("Motorbike")
    CAR = "car", _("Car or taxi")
    BUS = "bus", _("Bus or minibus")
    TRUCK = "truck", _("Truck")
    BOAT = "boat", _("Boat")
    PLANE = "plane", _("Plane")
    OTHER = "other", _("Other")


class Reason(models.TextChoices):
    ECONOMIC = "economic", _("Work or economic reasons")
    FAMILY = "family", _("Family visit or reunion")
    TRADE = "trade", _("Trade")
    EDUCATION = "education", _("Education")
    TOURISM = "tourism", _("Tourism")
    CONFLICT = "conflict", _("Fleeing conflict or disaster")
    RETURN = "return", _("Return home")
    OTHER = "other", _("Other")


class Vulnerability(models.TextChoices):
    UNACCOMPANIED = "unaccompanied", _("Unaccompanied children")
    UNDER5 = "under5", _("Children under 5")
    PREGNANT = "pregnant", _("Pregnant women")
    ELDERLY = "elderly", _("Elderly persons")
    DISABILITY = "disability", _("Persons with disabilities")


class PointKind(models.TextChoices):
    LAND_BORDER = "land_border", _("Land border post")
    SEAPORT = "seaport", _("Seaport")
    AIRPORT = "airport", _("Airport")
    TRANSIT_HUB = "transit_hub", _("Transit hub")


ROUTE_LABELS = {
    "coastal": _("Coastal corridor (Abidjan – Lagos)"),
    "sahel": _("Sahel – coast (Ouagadougou – Lomé)"),
    "inland": _("Inland border with Ghana"),
    "maritime": _("Maritime (Lomé – Owendo / Port-Gentil)"),
    "air": _("Air"),
    "north": _("Northern land borders (Cameroon, Equatorial Guinea)"),
    "south": _("Southern land border (Congo)"),
}

# The nationalities the corridor sees most; anything else is counted as "other" (XX) at a post,
# where an officer cannot look up a list of 250 countries per traveller.
NATIONALITIES = {
    "TG": _("Togo"),
    "GA": _("Gabon"),
    "BJ": _("Benin"),
    "GH": _("Ghana"),
    "NG": _("Nigeria"),
    "BF": _("Burkina Faso"),
    "NE": _("Niger"),
    "ML": _("Mali"),
    "CI": _("Côte d'Ivoire"),
    "CM": _("Cameroon"),
    "CG": _("Congo"),
    "GQ": _("Equatorial Guinea"),
    "XX": _("Other"),
}


@cache
def load(name: str) -> list[dict]:
    with open(VOCAB_DIR / f"{name}.yaml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)[name]


def regions(country: str | None = None) -> list[dict]:
    return [r for r in load("regions") if country is None or r["country"] == country]


def points(country: str | None = None) -> list[dict]:
    return [p for p in load("points") if country is None or p["country"] == country]
