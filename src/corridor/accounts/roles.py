"""The staff roles' codes and names, kept free of Django so that ``corridor demo`` can name each
demo account's role in the reader's language (``accounts.models.Role`` takes its labels here)."""

from __future__ import annotations

from corridor.i18n import gettext_noop

ROLE_NAMES = {
    "caseworker": gettext_noop("Caseworker"),
    "supervisor": gettext_noop("Supervisor"),
    "coordinator": gettext_noop("National coordinator"),
    "border_officer": gettext_noop("Border officer"),
    "investigator": gettext_noop("Investigator"),
    "partner": gettext_noop("Partner (aggregates only)"),
    "administrator": gettext_noop("Administrator"),
    "judicial_police": gettext_noop("Judicial police officer"),
    "prosecutor": gettext_noop("Prosecutor"),
    "call_taker": gettext_noop("Hotline call-taker"),
}
