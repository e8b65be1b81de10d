"""The joint picture: each node's aggregate figures, shared with the other node as a
``governance.figures`` message, so that both coordinators (and the bilateral committee) see the
two countries side by side, each figure with the node it came from and when.

Only counts and rates leave: the figures of the ``corridor.core.stats`` sections and the case
indicators of the reports, flattened to ``section.name`` → number. Every count of persons
between 1 and k − 1 (k = 11, as the Counter Trafficking Data Collaborative does) is suppressed
(null) before it leaves, and refused on receipt; a count of laws in force (texts, not persons)
is sent as it is. The message schema has no field that could hold a person: a name, a date of
birth, a reference, any string at all is refused by the schema, on sending and on receipt.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from corridor.accounts.models import Role
from corridor.audit.models import Action
from corridor.audit.services import audit_record, node_text
from corridor.core.stats import stats_sections
from corridor.federation.peers import node_label
from corridor.governance.models import JointFigures

FIGURES_TYPE = "governance.figures"
K = 11
KEY = r"^[a-z0-9_]{1,40}(\.[a-zA-Z0-9_]{1,60}){1,3}$"
FIGURE_SHARERS = (Role.COORDINATOR,)
JOINT_READERS = (Role.COORDINATOR, Role.PARTNER)

FIGURES_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["produced_at", "k", "figures"],
    "properties": {
        "produced_at": {"type": "integer", "minimum": 0},
        "k": {"type": "integer", "minimum": K},
        "figures": {
            "type": "object",
            "maxProperties": 2000,
            "propertyNames": {"pattern": KEY},
            "additionalProperties": {"type": ["integer", "number", "null"]},
        },
    },
}


def flatten(section: str, data, prefix: str = "") -> dict[str, float | int | None]:
    """``{"by_status": {"open": 12}}`` → ``{"section.by_status.open": 12}``; strings, dates and
    lists are dropped (a figure is a number)."""
    out: dict = {}
    for key, value in (data or {}).items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict):
            out.update(flatten(section, value, name))
        elif isinstance(value, bool):
            continue
        elif isinstance(value, int | float) or value is None:
            full = f"{section}.{name}"
            if re.match(KEY, full):
                out[full] = value
    return out


def counts_persons(key: str) -> bool:
    """Whether figure ``key`` counts persons: every count does, but the logframe's counts of
    texts (laws, decrees and procedures in force, marked ``persons: false``)."""
    from corridor.governance.logframe import indicator

    section, _dot, rest = key.partition(".")
    if section != "logframe":
        return True
    return (indicator(rest.split(".")[0]) or {}).get("persons", True) is not False


def is_small_count(key: str, value, k: int = K) -> bool:
    """A count of persons from 1 to k − 1: a small group can point at a person."""
    return isinstance(value, int) and 0 < value < k and counts_persons(key)


def suppress(figures: dict, k: int = K) -> dict:
    """Small counts of persons become null; rates are rounded to a tenth."""
    return {
        key: round(v, 1) if isinstance(v, float) else None if is_small_count(key, v, k) else v
        for key, v in figures.items()
    }


def local_figures(actor) -> dict:
    """This node's figures: every stats section, and the case indicators of the last twelve
    months as ``actor`` (a national coordinator) sees them."""
    from corridor.reports.indicators import case_indicators

    figures: dict = {}
    for name, data in stats_sections().items():
        figures.update(flatten(re.sub(r"[^a-z0-9_]", "_", name.lower())[:40], data))
    today = timezone.localdate()
    figures.update(
        flatten("indicators", case_indicators(actor, today - timedelta(days=365), today))
    )
    figures.update(flatten("referrals", cross_border_figures()))
    figures.update(flatten("flows", flow_figures(today - timedelta(days=365), today)))
    figures.update(flatten("logframe", logframe_figures()))
    return suppress(figures)


def logframe_figures() -> dict:
    """This country's logframe values, so that the other node's results framework and annual
    report show both countries: counts as integers (suppressed under k if they count persons),
    percentages as they are; rates per inhabitant are not sent (a rate gives its count back)."""
    from corridor.governance.logframe import indicator
    from corridor.governance.models import IndicatorValue

    out: dict = {}
    for row in IndicatorValue.objects.filter(country=settings.NODE_COUNTRY):
        item = indicator(row.indicator) or {}
        unit = item.get("unit")
        if unit == "number":
            out.setdefault(row.indicator, {})[str(row.year)] = int(row.value)
        elif unit == "percent":
            out.setdefault(row.indicator, {})[str(row.year)] = float(row.value)
    return out


def cross_border_figures() -> dict:
    """Cross-border referrals as this node knows them: by direction and shared status, and the
    days from sending to the receiving node's decision (median), and to the return."""
    import statistics

    from django.db.models import Count

    from corridor.referrals.models import CrossBorderReferral, CrossBorderReferralEvent

    by = {"out": {}, "in": {}}
    for row in CrossBorderReferral.objects.values("direction", "status").annotate(n=Count("id")):
        by.setdefault(row["direction"], {})[row["status"]] = row["n"]
    decided: dict[int, int] = {}
    returned: dict[int, int] = {}
    events = CrossBorderReferralEvent.objects.filter(
        kind=CrossBorderReferralEvent.Kind.STATUS,
        status__in=["accepted", "declined", "returned"],
    ).values_list("referral_id", "status", "at", "referral__created_at")
    for referral, status, at, created in events:
        days = max((at - created).days, 0)
        target = returned if status == "returned" else decided
        target[referral] = min(days, target.get(referral, days))

    def median(values):
        return statistics.median(values) if values else None

    return {
        "sent_by_status": by.get("out", {}),
        "received_by_status": by.get("in", {}),
        "days_to_decision_median": median(list(decided.values())),
        "days_to_return_median": median(list(returned.values())),
    }


def flow_figures(start, end) -> dict:
    """Travellers counted at the flow monitoring points in the period, by direction and sex."""
    from django.db.models import Sum

    from corridor.flows.models import FlowCount

    counts = FlowCount.objects.filter(day__gte=start, day__lte=end)
    return {
        "travellers": counts.aggregate(n=Sum("count"))["n"] or 0,
        "by_direction": {
            r["direction"]: r["n"]
            for r in counts.values("direction").annotate(n=Sum("count")).order_by()
        },
        "by_sex": {
            r["sex"]: r["n"] for r in counts.values("sex").annotate(n=Sum("count")).order_by()
        },
    }


@transaction.atomic
def figures_share(*, actor, peers) -> JointFigures:
    """Record this node's figures now and send them to ``peers``."""
    from corridor.federation.outbox import message_send
    from corridor.federation.registry import message_type

    if not actor.has_role(*FIGURE_SHARERS):
        raise PermissionDenied
    now = timezone.now()
    body = {"produced_at": int(now.timestamp()), "k": K, "figures": local_figures(actor)}
    message_type(FIGURES_TYPE).validate(body)
    own = JointFigures.objects.create(
        node=settings.NODE_NAME, produced_at=now, k=K, sections=body["figures"]
    )
    for peer in peers:
        message_send(actor=actor, peer=peer, type=FIGURES_TYPE, payload=body)
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        target=own,
        summary=node_text(gettext_noop("joint figures shared")),
        detail={"figures": len(body["figures"]), "peers": [p.name for p in peers]},
    )
    return own


def on_figures(*, peer, message, body) -> None:
    """Receiving node: keep the peer's figures (the schema already refused anything else)."""
    for key, value in body["figures"].items():
        if is_small_count(key, value, body["k"]):
            raise ValidationError(_("A figure under k was sent: %(key)s.") % {"key": key})
    JointFigures.objects.create(
        node=peer.name,
        produced_at=datetime.fromtimestamp(body["produced_at"], tz=UTC),
        k=body["k"],
        sections=body["figures"],
    )


def joint_table() -> tuple[list[str], list[dict]]:
    """The latest figures of each node, side by side: (nodes, rows of figure → value per node),
    each row under its section ("Protection de l'enfant") and named by the rest of its key."""
    latest = {}
    for figures in JointFigures.objects.order_by("node", "-produced_at"):
        latest.setdefault(figures.node, figures)
    nodes = sorted(latest, key=lambda n: (n != settings.NODE_NAME, n))
    keys = sorted({k for f in latest.values() for k in f.sections})
    from corridor.governance.figure_labels import part_label

    rows = []
    for key in keys:
        section, *rest = key.split(".")
        rows.append(
            {
                "key": key,
                "section": part_label(section),  # a heading over its figures
                "anchor": f"figures-{section}",
                "label": capfirst(" · ".join(part_label(p) for p in rest) or part_label(section)),
                "values": [latest[n].sections.get(key, "") for n in nodes],
            }
        )
    return [(n, latest[n].produced_at) for n in nodes], rows


# The charts of the joint page: (title, figure-name prefix) — each a bar per figure, one colour
# per node, so the two countries read side by side.
CHARTS = (
    (gettext_lazy("Persons identified, by caseload"), "caseloads.persons_by_caseload."),
    (gettext_lazy("Cross-border referrals sent, by status"), "referrals.sent_by_status."),
    (gettext_lazy("Cross-border referrals received, by status"), "referrals.received_by_status."),
    (gettext_lazy("Prosecutions: accused by stage"), "prosecutions.accused_by_stage."),
    (gettext_lazy("Travellers counted at the flow points"), "flows.by_direction."),
)
INDICATOR_CHART = (
    "indicators.identified",
    "indicators.returned",
    "indicators.followed_6m",
    "indicators.followed_12m",
    "indicators.cross_border",
)


def _in_order(prefix: str, keys: list[str]) -> list[str]:
    """A chart's figures in the order a record moves (reported before judged) or its vocabulary
    lists them; a figure a newer node added comes last, by its code."""
    from corridor.cases.caseloads import caseload_codes
    from corridor.justice.models import Stage
    from corridor.referrals.models import CrossBorderStatus

    codes = {
        "caseloads.persons_by_caseload.": caseload_codes(),
        "referrals.sent_by_status.": CrossBorderStatus.values,
        "referrals.received_by_status.": CrossBorderStatus.values,
        "prosecutions.accused_by_stage.": Stage.values,
        "flows.by_direction.": ["in", "out"],
    }.get(prefix, [])
    place = {code: i for i, code in enumerate(codes)}
    return sorted(keys, key=lambda k: (place.get(k[len(prefix) :], len(place)), k))


def joint_charts(nodes: list, rows: list[dict]) -> list[str]:
    """Grouped bar charts (inline SVG, as the other dashboards): one bar per node for each
    figure; a suppressed figure is drawn as "—" and said so under the legend."""
    from corridor.core import svgcharts
    from corridor.governance.figure_labels import part_label

    values = {r["key"]: r["values"] for r in rows}
    names = [node_label(n) for n, _at in nodes]
    groups = [(_("Returns and follow-ups (last 12 months)"), list(INDICATOR_CHART))]
    groups += [(str(t), _in_order(p, [k for k in values if k.startswith(p)])) for t, p in CHARTS]
    out = []
    for title, keys in groups:
        keys = [k for k in keys if k in values]
        if not keys or not names:
            continue
        series = {
            node: [v if isinstance(v, int | float) else None for v in (values[k][i] for k in keys)]
            for i, node in enumerate(names)
        }
        labels = [capfirst(part_label(k.rsplit(".", 1)[-1])) for k in keys]
        out.append(
            svgcharts.grouped_bars(title, labels, series, missing=_("— : under k, suppressed"))
        )
    return out
