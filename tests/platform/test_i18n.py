import ast
import re
from pathlib import Path

import pytest
from django.test import Client

import corridor

pytestmark = pytest.mark.django_db


def test_french_is_the_default():
    body = Client().get("/accounts/login/").content.decode()
    assert 'lang="fr"' in body and "Connexion" in body


def test_switch_to_english_and_back():
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    body = client.get("/accounts/login/").content.decode()
    assert 'lang="en"' in body and "Sign In" in body
    client.post("/i18n/setlang/", {"language": "fr", "next": "/accounts/login/"})
    assert 'lang="fr"' in client.get("/accounts/login/").content.decode()


def test_unknown_language_is_refused_with_a_message():
    client = Client()
    response = client.post(
        "/i18n/setlang/", {"language": "xx", "next": "/accounts/login/"}, follow=True
    )
    body = response.content.decode()
    assert "Langue inconnue" in body and 'lang="fr"' in body


def test_open_redirect_is_refused():
    response = Client().post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_translatable_strings_are_marked_by_names_makemessages_extracts():
    """makemessages extracts literals marked ``_``, ``gettext_lazy`` and the other gettext names,
    never those marked by an alias of one (``gettext_lazy as _lazy``): they would be left out of
    the catalogues and shown untranslated."""
    aliased = re.compile(r"import\s+\w*gettext\w*\s+as\s+(?!_\b)(\w+)")
    found = []
    for path, text in _sources():
        for alias in aliased.findall(text):
            if re.search(rf"\b{alias}\(\s*[\"']", text):
                found.append(f"{path.name}: {alias}")
    assert found == []


def _sources():
    """(path, text) of every Python module of the node."""
    for path in Path(corridor.__file__).parent.rglob("*.py"):
        yield path, path.read_text(encoding="utf-8")


def _eager_calls_outside_functions(tree, eager: set[str]):
    """Calls of ``eager`` names that run at import: outside any function, save a management
    command's ``help`` (argparse wants a plain string; a command speaks the node's language)."""
    found = []

    def visit(node, in_function):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            in_function = True
        if isinstance(node, ast.Assign) and [getattr(t, "id", "") for t in node.targets] == [
            "help"
        ]:
            return
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in eager
            and not in_function
        ):
            found.append(node.lineno)
        for child in ast.iter_child_nodes(node):
            visit(child, in_function)

    visit(tree, False)
    return found


def test_no_string_is_translated_at_import():
    """A string translated when its module is imported is frozen in the language active then
    (an English reader saw the matching explanations half in French): tables built at import
    mark their strings with ``gettext_noop`` or ``gettext_lazy`` and translate them where read."""
    eager_names = {
        ("django.utils.translation", "gettext"),
        ("django.utils.translation", "ngettext"),
        ("django.utils.translation", "pgettext"),
        ("corridor.i18n", "_"),
        ("corridor.i18n", "gettext"),
    }
    found = []
    for path, text in _sources():
        if "migrations" in path.parts:
            continue
        tree = ast.parse(text)
        eager = {
            alias.asname or alias.name
            for node in tree.body
            if isinstance(node, ast.ImportFrom)
            for alias in node.names
            if (node.module, alias.name) in eager_names
        }
        if eager:
            found += [f"{path.name}:{line}" for line in _eager_calls_outside_functions(tree, eager)]
    assert found == []


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (["mla_reminders"], "0 rappel envoyé.\n"),
        (["federation", "retire-keys"], "0 clé retirée.\n"),
    ],
)
def test_a_count_of_zero_or_one_is_singular_in_french(command, expected):
    """French puts 0 and 1 in the singular ("0 rappel envoyé", not "0 rappels envoyés"): every
    count a person reads goes through ngettext or blocktranslate count."""
    from io import StringIO

    from django.core.management import call_command
    from django.utils import translation

    out = StringIO()
    with translation.override("fr"):
        call_command(*command, stdout=out)
    assert out.getvalue() == expected


def test_a_one_year_old_is_one_year_old_in_french():
    """The border officer's person search: "Afi Mensah · 1 an", never "1 ans"."""
    from types import SimpleNamespace
    from uuid import uuid4

    from django.template.loader import render_to_string
    from django.utils import translation

    people = [
        SimpleNamespace(display_name="Afi Mensah", age_today=1, uid=uuid4()),
        SimpleNamespace(display_name="Kodjo Mensah", age_today=12, uid=uuid4()),
    ]
    with translation.override("fr"):
        page = render_to_string("screening/_people.html", {"query": "Mensah", "people": people})
    assert "Afi Mensah · 1 an —" in page and "Kodjo Mensah · 12 ans —" in page
