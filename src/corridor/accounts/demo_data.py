"""Synthetic agencies and staff accounts of the demo (no real person; names are invented).

Kept free of Django so that ``corridor demo`` can print the account table without a database.
"""

from __future__ import annotations

DEMO_PASSWORD = "Corridor-demo-2026!"

AGENCIES = {
    "togo": [
        (
            "MASSPF",
            "Ministère de l'Action sociale, de la Solidarité et de la Promotion de la Femme",
            "CentralGovernmentOrganisation",
            "Lomé",
        ),
        (
            "CNLTP",
            "Commission nationale de lutte contre la traite des personnes (Togo)",
            "CentralGovernmentOrganisation",
            "Lomé",
        ),
        ("Refuge Lomé", "Refuge Maison Sainte-Espérance (ONG), Lomé", "NGO", "Lomé"),
        (
            "PF Kodjoviakopé",
            "Police des frontières, poste de Kodjoviakopé",
            "LawEnforcement",
            "Lomé",
        ),
        (
            "PF Sanvée-Condji",
            "Police des frontières, poste de Sanvée-Condji",
            "LawEnforcement",
            "Sanvée-Condji",
        ),
        ("BPM Lomé", "Brigade de protection des mineurs, Lomé", "LawEnforcement", "Lomé"),
        ("UNICEF Togo", "UNICEF, bureau du Togo", "InternationalOrganisation", "Lomé"),
        (
            "Parquet Lomé",
            "Parquet près le tribunal de première instance de Lomé",
            "LegalService",
            "Lomé",
        ),
    ],
    "gabon": [
        (
            "DGAS",
            "Direction générale des Affaires sociales, Libreville",
            "CentralGovernmentOrganisation",
            "Libreville",
        ),
        (
            "CNLTP-GA",
            "Commission nationale de lutte contre la traite des personnes (Gabon)",
            "CentralGovernmentOrganisation",
            "Libreville",
        ),
        (
            "Centre Arc-en-Ciel",
            "Centre d'accueil Arc-en-Ciel (ONG), Libreville",
            "NGO",
            "Libreville",
        ),
        (
            "DGDI Léon-Mba",
            "Police de l'immigration, aéroport international Léon-Mba",
            "ImmigrationService",
            "Libreville",
        ),
        ("DGDI Owendo", "Police de l'immigration, port d'Owendo", "ImmigrationService", "Owendo"),
        (
            "PJ Libreville",
            "Police judiciaire, brigade des mineurs, Libreville",
            "LawEnforcement",
            "Libreville",
        ),
        ("OIM Gabon", "OIM, bureau du Gabon", "InternationalOrganisation", "Libreville"),
        (
            "Parquet Libreville",
            "Parquet près le tribunal de première instance de Libreville",
            "LegalService",
            "Libreville",
        ),
    ],
}

# (username suffix, role, agency short name index, first name, last name)
STAFF = {
    "togo": [
        ("caseworker", "caseworker", 0, "Akossiwa", "DEMO-AGBEKO"),
        ("caseworker2", "caseworker", 0, "Komlan", "DEMO-TSEVI"),
        ("shelter", "caseworker", 2, "Essi", "DEMO-AMEGAN"),
        ("supervisor", "supervisor", 0, "Yawa", "DEMO-KPODAR"),
        ("coordinator", "coordinator", 1, "Kodjo", "DEMO-ADJAHO"),
        ("border", "border_officer", 3, "Mawuli", "DEMO-SEWA"),
        ("investigator", "investigator", 5, "Edem", "DEMO-KUAKU"),
        ("partner", "partner", 6, "Afiwa", "DEMO-LAWSON"),
        ("admin", "administrator", 1, "Sena", "DEMO-ATTIOGBE"),
        ("hotline", "call_taker", 0, "Abla", "DEMO-GBEDEMAH"),
        ("opj", "judicial_police", 5, "Yao", "DEMO-ATSU"),
        ("procureur", "prosecutor", 7, "Kafui", "DEMO-AMEGBO"),
        ("substitut", "prosecutor", 7, "Dela", "DEMO-KOUMA"),
    ],
    "gabon": [
        ("caseworker", "caseworker", 0, "Nadège", "DEMO-MBOUMBA"),
        ("caseworker2", "caseworker", 0, "Ulrich", "DEMO-NZE"),
        ("shelter", "caseworker", 2, "Prisca", "DEMO-OBAME"),
        ("supervisor", "supervisor", 0, "Rodrigue", "DEMO-NDONG"),
        ("coordinator", "coordinator", 1, "Sylvie", "DEMO-MOUSSAVOU"),
        ("border", "border_officer", 3, "Hervé", "DEMO-ELLA"),
        ("investigator", "investigator", 5, "Brice", "DEMO-OYONO"),
        ("partner", "partner", 6, "Carine", "DEMO-MINKO"),
        ("admin", "administrator", 1, "Landry", "DEMO-BIYOGHE"),
        ("hotline", "call_taker", 0, "Ornella", "DEMO-MAKAYA"),
        ("opj", "judicial_police", 5, "Fabrice", "DEMO-MOUNGUENGUI"),
        ("procureur", "prosecutor", 7, "Armelle", "DEMO-NGUEMA"),
        ("substitut", "prosecutor", 7, "Jean-Pierre", "DEMO-ESSONE"),
    ],
}

PREFIX = {"togo": "tg", "gabon": "ga"}
MFA_ROLES = {"administrator", "investigator", "judicial_police", "prosecutor"}


def demo_user(suffix: str):
    """This node's demo account ``tg.<suffix>`` or ``ga.<suffix>``, or None before it is seeded."""
    from django.conf import settings

    from corridor.accounts.models import User

    return User.objects.filter(username=f"{PREFIX[settings.NODE_NAME]}.{suffix}").first()


def demo_accounts(node: str) -> list[dict]:
    agencies = AGENCIES[node]
    return [
        {
            "username": f"{PREFIX[node]}.{suffix}",
            "role": role,
            "agency": agencies[index][0],
            "first_name": first,
            "last_name": last,
            "mfa": role in MFA_ROLES,
        }
        for suffix, role, index, first, last in STAFF[node]
    ]
