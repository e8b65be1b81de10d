"""French typography and numbers (issue 17, item 11): a no-break space before ":" ";" "?" "!"
and inside « » in every French string, so a phone never puts the mark alone on a line, the decimal comma wherever Python writes a number for people, and codes named by
their labels on publications and intelligence pages."""

from __future__ import annotations

import re
from decimal import Decimal
from html import unescape
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.template import Context, Template
from django.utils import timezone, translation

import corridor
from corridor.core import svgcharts
from corridor.core.numbers import colon, decimal, in_a_list, labelled, money, percent
from tests.factories import privacy_budget

LOCALE = Path(corridor.__file__).resolve().parent / "locale" / "fr" / "LC_MESSAGES"
# A letter, digit, closing bracket or quote right before ":" ";" "?" "!" that ends a phrase.
TIGHT = re.compile(r"[^\s\u00a0\u202f][:;?!](?=\s|$)")
# An ordinary space where French wants a no-break one: a narrow screen may break the line there.
LOOSE = re.compile(r"(?<=\S) [:;?!]|« | »")
# Not prose: addresses, "kind: value" input syntax quoted for the reader to type, placeholders
# such as "{0:.2f}".
NOT_PROSE = re.compile(r"https?://\S+|«[^»]*»|\{[^}]*\}")


def _french_strings():
    for name in ("django.po", "djangojs.po"):
        path = LOCALE / name
        if not path.exists():
            continue
        with path.open("rb") as handle:
            for message in read_po(handle):
                strings = message.string if isinstance(message.string, tuple) else [message.string]
                for text in strings:
                    if message.id and text:
                        yield text


def test_the_french_catalogue_puts_a_space_before_double_punctuation():
    tight = [
        text
        for text in _french_strings()
        if TIGHT.search(NOT_PROSE.sub(" ", text)) or re.search(r"\w:$", text)
    ]
    assert tight == []


def test_the_french_catalogue_keeps_double_punctuation_on_its_line():
    """ "Quelle personne est évaluée ?" ended with "?" alone on a phone's line."""
    loose = [text for text in _french_strings() if LOOSE.search(text)]
    assert loose == []
    assert (
        LOOSE.search("Nom : Ama") and LOOSE.search("« x »") and not LOOSE.search("Nom\u00a0: Ama")
    )


def test_a_count_agrees_with_its_number_rather_than_hedging_with_s_in_brackets():
    """ "1 dossier créé", "2 dossiers créés": ``ngettext`` or ``blocktranslate count``, never
    "dossier(s) créé(s)"."""
    hedged = [text for text in _french_strings() if re.search(r"\w\(s\)", text)]
    assert hedged == []


def test_the_scan_would_see_a_tight_colon():
    assert TIGHT.search("Nom: Ama") and TIGHT.search("Pourquoi?") and TIGHT.search("Nom:")
    for fine in ("Nom : Ama", "Nom\u00a0: Ama", "à 10:30", "https://example.org", "« type: x »"):
        assert not TIGHT.search(NOT_PROSE.sub(" ", fine)), fine


@pytest.mark.parametrize(
    "language, expected",
    [("fr", ["0,5", "12\u202f345,6", "2", "12,5\u00a0%", "\u00a0:"]), ("en", ["0.5", "12,345.6", "2", "12.5%", ":"])],
)  # fmt: skip
def test_numbers_and_colon_in_the_readers_language(language, expected):
    with translation.override(language):
        assert [decimal(0.5), decimal(12345.6), decimal(2.0), percent(0.125, 1), colon()] == (
            expected
        )
        rendered = Template("{% load corridor %}Age{% colon %} {{ 0.25|decimal:2 }}").render(
            Context({})
        )
        assert rendered == f"Age{expected[-1]} {'0,25' if language == 'fr' else '0.25'}"
        # An amount: thousands grouped, its currency after a no-break space, cents only if any.
        thousands = "175\u202f000" if language == "fr" else "175,000"
        assert money(Decimal("175000.00"), "XAF") == f"{thousands}\u00a0XAF"
        assert money(45000.5) == ("45\u202f000,50" if language == "fr" else "45,000.50")
        rendered = Template("{% load corridor %}{{ n|money:'XOF' }}").render(Context({"n": 175000}))
        assert rendered == f"{thousands}\u00a0XOF"
        # A label and its value, and a list said between semicolons.
        mark = "\u00a0" if language == "fr" else ""
        assert labelled("Kossi", "Traite") == f"Kossi{mark}: Traite" and labelled("", "x") == "x"
        assert in_a_list(["a", "b"]) == f"a{mark}; b"


def test_a_chart_said_in_words():
    with translation.override("fr"):
        chart = svgcharts.bars("Cas", [("Hébergement", 3), ("Santé", 0.5)], empty="Rien")
        assert ">Hébergement\u00a0: 3\u00a0; Santé\u00a0: 0,5.</desc>" in chart
        assert re.search(r'aria-label="Graphique en barres\s: Cas"', chart), chart
        assert ">Rien</desc>" in svgcharts.bars("Cas", [], empty="Rien")
    with translation.override("en"):
        chart = svgcharts.bars("Cases", [("Shelter", 3), ("Health", 0.5)], empty="None")
        assert ">Shelter: 3; Health: 0.5.</desc>" in chart


@pytest.mark.django_db
def test_a_release_is_named_by_its_breakdown_in_the_readers_language(people, client):
    from corridor.reports import services
    from corridor.reports.models import Publication

    coordinator = people["coordinator"]
    budget = privacy_budget(coordinator, name="2026", days=30)
    release = services.publication_dp_release(  # published in English (the test default)
        actor=coordinator, budget=budget, dimension="sex", epsilon=0.25
    )
    older = services.publication_dp_release(
        actor=coordinator, budget=budget, dimension="age", epsilon=0.25
    )
    Publication.objects.filter(pk=older.pk).update(title="Identified victims by age")  # as before
    client.force_login(
        people["partner"], backend="allauth.account.auth_backends.AuthenticationBackend"
    )
    page = unescape(client.get("/reports/published/", HTTP_ACCEPT_LANGUAGE="fr").content.decode())
    assert (
        "Victimes identifiées par sexe" in page and "Victimes identifiées par tranche d'âge" in page
    )
    for label in ("femme ou fille", "autre ou inconnu"):  # a bar each, drawn to scale
        assert f'<span class="bar-label">{label}</span> <meter min="0"' in page
    assert "ε = 0,25" in page
    with translation.override("en"):
        assert release.heading == "Identified victims by sex"
    client.force_login(coordinator, backend="allauth.account.auth_backends.AuthenticationBackend")
    form = unescape(client.get("/reports/publish/", HTTP_ACCEPT_LANGUAGE="fr").content.decode())
    assert '<option value="sex">sexe</option>' in form
    assert '<option value="age">tranche d\'âge</option>' in form


@pytest.mark.django_db
def test_a_ctdc_export_is_titled_with_dates_as_the_reader_writes_them():
    from corridor.reports.models import Publication
    from corridor.reports.publication_labels import default_title, heading

    period = ("2026-01-01", "2026-12-07")
    with translation.override("fr"):
        assert default_title("ctdc", period=period) == "Export CTDC 01/01/2026 – 07/12/2026"
    with translation.override("en"):
        title = default_title("ctdc", period=period)
        assert "2026-01-01" not in title and title.startswith("CTDC export")
    # A release titled before dates were written as the reader writes them reads the same way.
    older = Publication(kind="ctdc", title="CTDC export 2026-01-01 – 2026-12-07")
    older.result = {"period": list(period)}
    with translation.override("fr"):
        assert heading(older) == "Export CTDC 01/01/2026 – 07/12/2026"
    older.title = "Victims assisted in 2026"  # a title the coordinator wrote stays
    assert heading(older) == "Victims assisted in 2026"


@pytest.mark.django_db
def test_intelligence_codes_are_shown_by_their_labels(people, client):
    from corridor.intel import services
    from corridor.intel.analysis import cytoscape_elements, load_network
    from corridor.intel.models import Entity, Event, Link

    investigator = people["investigator"]
    with translation.override("fr"):
        kofi = services.entity_create(
            actor=investigator,
            kind="person",
            name="Kofi MENSAH",
            source="test",
            roles=["Transporter", "RecruiterOrIntermediary"],
            details={"suspected_forgery": True},
        )
        phones = [
            services.entity_create(actor=investigator, kind="phone", name=n, source="test")
            for n in ("+228 90 00 00 01", "+241 77 00 00 02")
        ]
        services.link_create(
            actor=investigator, kind="uses", source_entity=kofi, target_entity=phones[0], source="t"
        )
        services.event_create(
            actor=investigator,
            kind="call",
            at=timezone.now(),
            participants=[(phones[0], "caller"), (phones[1], "callee")],
            source="test",
        )
    client.force_login(investigator, backend="allauth.account.auth_backends.AuthenticationBackend")
    page = client.get(f"/intel/entities/{kofi.pk}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Transporteur, Recruteur ou intermédiaire" in page
    assert "Falsification soupçonnée" in page and "<dd>oui</dd>" in page
    phone = client.get(f"/intel/entities/{phones[0].pk}/", HTTP_ACCEPT_LANGUAGE="fr")
    assert "(appelant)" in phone.content.decode()
    listing = client.get("/intel/entities/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Transporteur" in listing and "Transporter<" not in listing
    with translation.override("fr"):
        data = load_network(
            entities=Entity.objects.all(), links=Link.objects.all(), events=Event.objects.all()
        )
        nodes = cytoscape_elements(data)["nodes"]
    person = next(n["data"] for n in nodes if n["data"]["id"] == str(kofi.pk))
    assert person["kind_label"] == "Personne" and person["role_label"] == "Transporteur"


@pytest.mark.django_db
def test_the_indicator_charts_are_said_in_words(people, client):
    from corridor.cases import services
    from corridor.people.services import person_create

    worker = people["caseworker"]
    with translation.override("fr"):
        person = person_create(
            actor=worker, given_names="Ama", family_name="AKUÉ", gender="Feminine"
        )
        case = services.case_open(
            actor=worker, person=person, caseload="presumed_trafficking_victim"
        )
        services.service_record(
            actor=worker, case=case, service_type="Shelter", delivered_on=timezone.localdate()
        )
    client.force_login(
        people["coordinator"], backend="allauth.account.auth_backends.AuthenticationBackend"
    )
    page = unescape(client.get("/reports/", HTTP_ACCEPT_LANGUAGE="fr").content.decode())
    said = re.findall(r'aria-label="([^"]*)"[^>]*><title>[^<]*</title><desc[^>]*>([^<]*)<', page)
    assert len(said) == 3 and all(label.startswith("Graphique") for label, _d in said), said
    services_chart = next(d for label, d in said if "Personnes assistées" in label)
    assert "\u00a0: 1." in services_chart and "Shelter" not in services_chart


def test_the_pdfs_write_labels_dates_and_numbers_for_people():
    """The subject-access and annual-report PDFs: field names by their labels, ISO dates and
    numbers the reader's way; the annual report's spreadsheet keeps numbers as numbers."""
    from decimal import Decimal

    from corridor.governance.annual_report import _num
    from corridor.governance.rights import _field_label, _shown

    with translation.override("fr"):
        assert [_shown(0.5), _shown(True), _shown("2026-12-02")] == ["0,5", "oui", "02/12/2026"]
        assert _field_label("given_names") not in ("given_names", "Given names")
        assert _num(Decimal("12.50")) == "12,5" and _num(None) == "—"
    with translation.override("en"):
        assert [_shown(0.5), _field_label("given_names")] == ["0.5", "Given names"]
    assert _num(Decimal("3.0"), sheet=True) == 3 and _num(12.5, sheet=True) == Decimal("12.5")


def test_no_template_glues_a_colon_to_a_label():
    """``{% translate "Age" %}:`` shows "Âge:" in French: labels are followed by
    ``{% colon %}``. Text inside ``blocktranslate`` is the catalogue's, checked above."""
    root = Path(corridor.__file__).resolve().parent
    blocks = re.compile(r"\{% blocktrans(?:late)?.*?\{% endblocktrans(?:late)? %\}", re.S)
    glued = re.compile(r".{0,40}(?:%\}|\}\}|\)):(?=[ <])")
    found = {
        str(path.relative_to(root)): hits
        for path in root.rglob("*.html")
        if (hits := glued.findall(blocks.sub("", path.read_text("utf-8"))))
    }
    assert found == {}


GETTEXT = {"_", "gettext", "gettext_lazy", "ngettext", "pgettext", "npgettext", "ngettext_lazy"}


def _translated_inside_fstrings(source: str) -> list[int]:
    """Lines where a gettext call sits inside an f-string: xgettext cannot see into one, so the
    string never reaches the catalogue and shows in English ("DGAS · Gabon · women")."""
    import ast

    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.JoinedStr):
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.Call)
                    and isinstance(inner.func, ast.Name)
                    and inner.func.id in GETTEXT
                ):
                    lines.append(inner.lineno)
    return lines


def test_no_translatable_string_hides_inside_an_fstring():
    source_root = Path(corridor.__file__).resolve().parent
    hidden = {
        str(path.relative_to(source_root)): lines
        for path in sorted(source_root.rglob("*.py"))
        if (lines := _translated_inside_fstrings(path.read_text(encoding="utf-8")))
    }
    assert hidden == {}
    assert _translated_inside_fstrings("x = f\"{_('women')}\"") == [1]


def test_the_demo_writes_its_french_with_the_same_spaces():
    """Seeded narratives, notes and plans ("Plan : hébergement 3 mois") are French text a phone
    shows; an ordinary space before their colon lets it fall alone onto the next line."""
    import ast

    source_root = Path(corridor.__file__).resolve().parent
    seeds = [
        path
        for pattern in ("seed*.py", "demo*.py", "vocab/*.yaml")
        for path in sorted(source_root.rglob(pattern))
    ]
    loose = []
    for path in seeds:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".yaml":
            strings = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
        else:
            strings = [
                node.value
                for node in ast.walk(ast.parse(text))
                if isinstance(node, ast.Constant) and isinstance(node.value, str)
            ]
        loose += [f"{path.name}: {s.strip()[:60]}" for s in strings if SEEDED_LOOSE.search(s)]
    assert len(seeds) > 10 and loose == []


SEEDED_LOOSE = re.compile(r"[^\s\\] [:;?!](?=\s|$)")
