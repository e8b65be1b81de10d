"""Demo screenings: first screenings at the border post and shelter screenings, some opening a
case that waits for a supervisor's decision. Idempotent: nothing is added when screenings exist."""

from __future__ import annotations

import random

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_noop

from corridor.accounts.demo_data import demo_user
from corridor.governance.retention import add_months
from corridor.screening.models import Screening
from corridor.screening.questionnaires import get_questionnaire
from corridor.screening.services import screening_record

# Each node's own people, screened at its border posts and shelters.
CHILDREN = {
    "TG": [
        ("Kossi", "DEMO-AGBODJAN", "Masculine", 12, "UnaccompaniedChild"),
        ("Ablavi", "DEMO-KPOGO", "Feminine", 14, "SeparatedChild"),
        ("Yao", "DEMO-LAWSON", "Masculine", 16, ""),
        ("Akpené", "DEMO-ATAYI", "Feminine", 11, "UnaccompaniedChild"),
        ("Mawussi", "DEMO-DOSSOU", "Feminine", 17, "IrregularMigrant"),
        ("Komi", "DEMO-ADJOVI", "Masculine", 13, "SeparatedChild"),
    ],
    "GA": [
        ("Kafui", "DEMO-AMEDOME", "Feminine", 13, "UnaccompaniedChild"),
        ("Sègbédji", "DEMO-HOUNGBO", "Feminine", 15, "SeparatedChild"),
        ("Emeka", "DEMO-NWOSU", "Masculine", 16, "IrregularMigrant"),
        ("Ayaba", "DEMO-KOUMAGNON", "Feminine", 11, "UnaccompaniedChild"),
        ("Junior", "DEMO-MBA ONDO", "Masculine", 14, ""),
        ("Dodzi", "DEMO-AKPATA", "Masculine", 12, "SeparatedChild"),
    ],
}
ADULTS = {
    "TG": [
        ("Afiwa", "DEMO-KODJO", "Feminine", 24, "IrregularMigrant"),
        ("Sédo", "DEMO-HOUNKPATI", "Masculine", 31, "AsylumSeeker"),
        ("Adjovi", "DEMO-MENSAH", "Feminine", 27, "RegularMigrant"),
    ],
    "GA": [
        ("Blessing", "DEMO-OKORO", "Feminine", 22, "IrregularMigrant"),
        ("Ousmane", "DEMO-DIALLO", "Masculine", 29, "AsylumSeeker"),
        ("Mireille", "DEMO-ASSOGBA", "Feminine", 26, "RegularMigrant"),
    ],
}
# Travellers screened at the border more than a year ago who never needed a case: the retention
# rule for screenings without a case (12 months in the demo) finds them due, so that
# `corridor retention run` has something to erase. (given, family, gender, age, months ago)
PAST = {
    "TG": [
        ("Kwami", "DEMO-ADZOGBLE", "Masculine", 34, 16),
        ("Ayélé", "DEMO-GBEGNON", "Feminine", 29, 14),
        ("Yawo", "DEMO-KLUTSE", "Masculine", 41, 13),
    ],
    "GA": [
        ("Aimé", "DEMO-NZE", "Masculine", 33, 16),
        ("Rachida", "DEMO-SANNI", "Feminine", 28, 14),
        ("Tunde", "DEMO-ADEYEMI", "Masculine", 38, 13),
    ],
}


def _answers(code: str, rng: random.Random) -> dict[str, str]:
    return {
        t.code: rng.choices(["yes", "no", "unknown"], weights=[3, 5, 2])[0]
        for t in get_questionnaire(code).indicators
    }


def _new_person(given: str, family: str, gender: str, age: int, status: str) -> dict:
    """A person registered at the screening, as ``people.services.person_create`` takes one."""
    return {
        "given_names": given,
        "family_name": family,
        "gender": gender,
        "estimated_age": age,
        "migrant_status": status,
    }


def seed_screenings() -> dict:
    if Screening.objects.exists():
        return {gettext_noop("screenings"): 0}
    border = demo_user("border")
    worker = demo_user("shelter") or demo_user("caseworker")
    if border is None or worker is None:
        return {"screenings": 0}
    rng = random.Random(7)
    post = border.agency.city if border.agency else ""
    made = 0
    for given, family, gender, age, status in CHILDREN[settings.NODE_COUNTRY]:
        screening_record(
            actor=border,
            questionnaire="unodc_child",
            answers=_answers("unodc_child", rng),
            new_person=_new_person(given, family, gender, age, status)
            | {"unaccompanied": status in ("UnaccompaniedChild", "SeparatedChild")},
            place=post,
        )
        made += 1
    for i, (given, family, gender, age, status) in enumerate(ADULTS[settings.NODE_COUNTRY]):
        first = screening_record(
            actor=worker,
            questionnaire="ilo_forced_labour",
            answers=_answers("ilo_forced_labour", rng),
            new_person=_new_person(given, family, gender, age, status),
            open_case=i < 2,
        )
        screening_record(
            actor=worker,
            questionnaire="iom_dmv",
            answers=_answers("iom_dmv", rng),
            person=first.person,
        )
        made += 2
    today = timezone.localdate()
    for given, family, gender, age, months in PAST[settings.NODE_COUNTRY]:
        screening_record(
            actor=border,
            questionnaire="ilo_forced_labour",
            answers=_answers("ilo_forced_labour", rng),
            new_person=_new_person(given, family, gender, age, "RegularMigrant"),
            screened_on=add_months(today, -months),
            place=post,
        )
        made += 1
    return {"screenings": made}
