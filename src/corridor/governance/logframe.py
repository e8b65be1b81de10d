"""The results framework of the joint programme: the logframe as data (``vocab/logframe.yaml``:
outcomes, outputs, indicators with baselines and yearly targets per country), each yearly value
computed from the records (the indicator's ``compute`` names a function of ``COMPUTERS``) or
entered by hand with an evidence file; the fund's annual report is ``annual_report``.

Computed values are this node's: a node computes its own country's values from its own records;
the other country's come from the other node's figures or are entered by hand.
"""

from __future__ import annotations

import base64
import hashlib
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from corridor.accounts.models import Role
from corridor.audit.models import Action
from corridor.audit.services import audit_record, node_text
from corridor.core.countries import country_name
from corridor.core.numbers import decimal
from corridor.governance.joint import K
from corridor.governance.models import (
    ActivityStatus,
    CommitteeDecision,
    IndicatorValue,
    InstrumentStatus,
    LegalInstrument,
    PlanActivity,
)

RESULTS_EDITORS = (Role.COORDINATOR,)
RESULTS_READERS = (Role.COORDINATOR, Role.PARTNER)
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
# Accepted evidence: the extension and the file's first bytes must agree.
EVIDENCE_TYPES = {
    ".pdf": ("application/pdf", (b"%PDF",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (b"PK\x03\x04",),
    ),
}


@cache
def logframe() -> dict:
    path = Path(__file__).resolve().parent / "vocab" / "logframe.yaml"
    return yaml.safe_load(path.read_text("utf-8"))


def indicators() -> list[dict]:
    """Every indicator, with its outcome and output codes."""
    out = []
    for outcome in logframe()["outcomes"]:
        for output in outcome["outputs"]:
            for indicator in output["indicators"]:
                out.append({**indicator, "outcome": outcome["code"], "output": output["code"]})
    return out


def indicator(code: str) -> dict | None:
    return next((i for i in indicators() if i["code"] == code), None)


def _title(item: dict, language: str) -> str:
    return item["title"].get(language) or item["title"]["en"]


# --- computed values: fn(actor, year) -> number, from this node's records -------------------


def _period(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _case_indicator(name: str):
    def compute(actor, year: int):
        from corridor.reports.indicators import case_indicators

        return case_indicators(actor, *_period(year))[name]

    compute.__doc__ = f"reports.indicators.case_indicators(...)['{name}']"
    return compute


def sdg_16_2_2_rate(actor, year: int):
    """reports.indicators.sdg_16_2_2: detected victims per 100 000 (official population)."""
    from corridor.reports.indicators import sdg_16_2_2, victim_records

    result = sdg_16_2_2(victim_records(actor, *_period(year)), year)
    return None if result is None else result["total"]


def officials_trained(actor, year: int):
    """reports.indicators.training_indicators(...)['by_country'][this country]."""
    from corridor.reports.indicators import training_indicators

    return training_indicators(*_period(year))["by_country"].get(settings.NODE_COUNTRY, 0)


def persons_prosecuted(actor, year: int):
    """justice.glotip.glotip_tables(year): persons prosecuted for trafficking."""
    from corridor.justice.glotip import glotip_tables

    return glotip_tables(year)["trafficking"]["prosecuted"].get("total", 0)


def plan_activities_done_pct(actor, year: int):
    """governance: share of this country's plan activities due by the year's end that are done."""
    due = PlanActivity.objects.filter(
        country=settings.NODE_COUNTRY, due_on__lte=date(year, 12, 31)
    ).exclude(status=ActivityStatus.DROPPED)
    total = due.count()
    done = due.filter(status=ActivityStatus.DONE).count()
    return round(100 * done / total, 1) if total else None


def instruments_in_force(actor, year: int):
    """governance: this country's laws, decrees and procedures in force at the year's end."""
    return LegalInstrument.objects.filter(
        country=settings.NODE_COUNTRY,
        status=InstrumentStatus.IN_FORCE,
        in_force_on__lte=date(year, 12, 31),
    ).count()


def committee_decisions_on_time_pct(actor, year: int):
    """governance: decisions due in the year done (a late one counts against)."""
    due = CommitteeDecision.objects.filter(due_on__year=year).exclude(status=ActivityStatus.DROPPED)
    total = due.count()
    done = due.filter(status=ActivityStatus.DONE).count()
    return round(100 * done / total, 1) if total else None


COMPUTERS = {
    "persons_identified": _case_indicator("identified"),
    "returned": _case_indicator("returned"),
    "cross_border_cases": _case_indicator("cross_border"),
    "sdg_16_2_2_rate": sdg_16_2_2_rate,
    "officials_trained": officials_trained,
    "persons_prosecuted": persons_prosecuted,
    "plan_activities_done_pct": plan_activities_done_pct,
    "instruments_in_force": instruments_in_force,
    "committee_decisions_on_time_pct": committee_decisions_on_time_pct,
}


def computed_value(actor, code: str, year: int):
    item = indicator(code)
    if item is None or not item.get("compute"):
        return None
    return COMPUTERS[item["compute"]](actor, year)


@transaction.atomic
def values_compute(*, actor, year: int) -> int:
    """Compute this node's country's value of every computed indicator for ``year`` and store it
    (a hand-entered value for the same indicator and year is replaced: the records win)."""
    if not actor.has_role(*RESULTS_EDITORS):
        raise PermissionDenied
    if year not in logframe()["programme"]["years"]:
        raise ValidationError({"year": _("The programme does not run that year.")})
    stored = 0
    for item in indicators():
        if not item.get("compute"):
            continue
        value = COMPUTERS[item["compute"]](actor, year)
        if value is None:
            continue
        IndicatorValue.objects.update_or_create(
            indicator=item["code"],
            country=settings.NODE_COUNTRY,
            year=year,
            defaults={
                "value": Decimal(str(value)),
                "source": IndicatorValue.Source.COMPUTED,
                "note": item["compute"],
                "evidence": "",
                "evidence_name": "",
                "evidence_type": "",
                "evidence_size": 0,
                "evidence_sha256": "",
                "recorded_by": actor,
                "recorded_at": timezone.now(),
            },
        )
        stored += 1
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        target=None,
        summary=node_text(gettext_noop("logframe values computed")),
        detail={"year": year, "values": stored},
    )
    return stored


def check_evidence(name: str, content: bytes) -> str:
    """The evidence file's content type, or a translated ValidationError: PDF, JPEG, PNG or XLSX
    (by extension and by its first bytes), at most 10 MB."""
    if len(content) > EVIDENCE_MAX_BYTES:
        raise ValidationError(
            {
                "evidence": _("The evidence file is larger than 10 MB (%(size)s MB).")
                % {"size": decimal(len(content) / 1024 / 1024, 1)}
            }
        )
    ext = Path(name or "").suffix.lower()
    kind = EVIDENCE_TYPES.get(ext)
    if kind is None or not content.startswith(kind[1]):
        raise ValidationError(
            {"evidence": _("The evidence file must be a PDF, JPEG, PNG or XLSX file.")}
        )
    if not _whole(kind[0], content):
        raise ValidationError(
            {
                "evidence": _(
                    "The evidence file is damaged or cut short: open it, save it again and "
                    "send the saved copy."
                )
            }
        )
    return kind[0]


def _whole(content_type: str, content: bytes) -> bool:
    """Whether the file is whole, beyond its first bytes: an image Pillow can read to its end, a
    workbook whose zip holds a workbook, a PDF that ends with its end-of-file marker."""
    import zipfile

    if content_type.startswith("image/"):
        from PIL import Image

        try:
            with Image.open(io.BytesIO(content)) as image:
                image.verify()
        except Exception:  # Pillow raises many kinds on a damaged file
            return False
        return True
    if content_type == "application/pdf":
        return b"%%EOF" in content[-2048:]
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as workbook:
            names = set(workbook.namelist())
            return {"[Content_Types].xml", "xl/workbook.xml"} <= names and (
                workbook.testzip() is None
            )
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


@transaction.atomic
def value_record(
    *,
    actor,
    code: str,
    country: str,
    year: int,
    value,
    note: str,
    evidence_name: str,
    evidence: bytes,
) -> IndicatorValue:
    """A value entered by hand, with its evidence file (required)."""
    if not actor.has_role(*RESULTS_EDITORS):
        raise PermissionDenied
    item = indicator(code)
    errors = {}
    if item is None:
        errors["indicator"] = _("No such indicator in the logframe.")
    if country not in item_countries():
        errors["country"] = _("Unknown country.")
    if year not in logframe()["programme"]["years"]:
        errors["year"] = _("The programme does not run that year.")
    if not evidence:
        errors["evidence"] = _("A value entered by hand needs its evidence file.")
    if errors:
        raise ValidationError(errors)
    kind = check_evidence(evidence_name, evidence)
    row, _created = IndicatorValue.objects.update_or_create(
        indicator=code,
        country=country,
        year=year,
        defaults={
            "value": Decimal(str(value)),
            "source": IndicatorValue.Source.MANUAL,
            "note": note,
            "evidence": base64.b64encode(evidence).decode("ascii"),
            "evidence_name": Path(evidence_name).name[:200],
            "evidence_type": kind,
            "evidence_size": len(evidence),
            "evidence_sha256": hashlib.sha256(evidence).hexdigest(),
            "recorded_by": actor,
            "recorded_at": timezone.now(),
        },
    )
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        target=row,
        summary=node_text(gettext_noop("logframe value entered")),
        detail={"indicator": code, "country": country, "year": year},
    )
    return row


def evidence_bytes(row: IndicatorValue) -> bytes:
    return base64.b64decode(row.evidence) if row.evidence else b""


def item_countries() -> list[str]:
    return ["TG", "GA"]


@dataclass
class SharedValue:
    """A value of the other country, from the latest figures its node sent (joint picture)."""

    value: Decimal
    node: str
    produced_at: object
    source: str = "shared"
    pk: None = None


def shared_values() -> dict[tuple[str, str, int], SharedValue]:
    """The other nodes' logframe values (``logframe.<indicator>.<year>`` in their figures),
    keyed like this node's own: (indicator, country, year)."""
    from corridor.federation.models import Peer
    from corridor.governance.models import JointFigures

    out = {}
    for peer in Peer.objects.exclude(name=settings.NODE_NAME):
        latest = JointFigures.objects.filter(node=peer.name).order_by("-produced_at").first()
        if latest is None:
            continue
        for key, value in latest.sections.items():
            parts = key.split(".")
            if len(parts) == 3 and parts[0] == "logframe" and value is not None:
                try:
                    year = int(parts[2])
                except ValueError:
                    continue
                out[(parts[1], peer.country, year)] = SharedValue(
                    Decimal(str(value)), peer.name, latest.produced_at
                )
    return out


@dataclass(frozen=True)
class MaskedValue:
    """A value a reader of published numbers does not see: a count of persons from 1 to k - 1,
    or a rate per inhabitant that gives such a count back."""

    source: str = "masked"
    value: None = None


MASKED = MaskedValue()


def gives_a_small_count(item: dict, value, country: str, year: int) -> bool:
    """Whether ``value`` of indicator ``item`` is, or gives back, a count of persons from 1 to
    k - 1: the numbers a partner is never shown (percentages are shown as they are, as they
    leave the node; a count the logframe marks ``persons: false`` too). A rate whose
    population is unknown cannot be checked, so it counts as small."""
    from corridor.reports.indicators import population

    unit = item.get("unit")
    if item.get("persons", True) is False:  # laws in force, say
        return False
    if unit == "number":
        count = int(value)
    elif unit == "rate":
        inhabitants = (population().get(country, {}).get(year) or {}).get("total")
        if not inhabitants:
            return True
        count = round(float(value) * inhabitants / 100_000)
    else:
        return False
    return 0 < count < K


def framework_table(language: str, *, published_only: bool = False) -> list[dict]:
    """Each indicator with its baseline, and per country and year its target and value (this
    node's own, or the other country's from its node's latest figures). For a reader of
    published numbers only (``published_only``, a partner), a small count is ``MASKED``."""
    years = logframe()["programme"]["years"]
    values = {**shared_values()}
    values.update({(v.indicator, v.country, v.year): v for v in IndicatorValue.objects.all()})
    if published_only:
        for (code, country, year), value in values.items():
            item = indicator(code) or {}
            if gives_a_small_count(item, value.value, country, year):
                values[(code, country, year)] = MASKED
    rows = []
    for item in indicators():
        for country in item_countries():
            rows.append(
                {
                    "outcome": item["outcome"],
                    "output": item["output"],
                    "code": item["code"],
                    "title": _title(item, language),
                    "unit": item.get("unit", ""),
                    "compute": item.get("compute", ""),
                    "gender": bool(item.get("gender")),
                    "human_rights": bool(item.get("human_rights")),
                    "country": country,
                    "country_name": country_name(country),
                    "baseline": item.get("baseline", {}).get(country),
                    "years": [
                        {
                            "year": y,
                            "target": item.get("targets", {}).get(country, {}).get(y),
                            "value": values.get((item["code"], country, y)),
                        }
                        for y in years
                    ],
                }
            )
    return rows


def published_only(actor) -> bool:
    """A reader of the results who is not one of their editors (a partner) sees published
    numbers only: small counts masked, as on every page a partner reads."""
    return not actor.has_role(*RESULTS_EDITORS)
