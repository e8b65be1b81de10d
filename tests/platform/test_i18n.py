import pytest
from django.test import Client

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
    import re
    from pathlib import Path

    import corridor

    aliased = re.compile(r"import\s+\w*gettext\w*\s+as\s+(?!_\b)(\w+)")
    found = []
    for path in Path(corridor.__file__).parent.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for alias in aliased.findall(text):
            if re.search(rf"\b{alias}\(\s*[\"']", text):
                found.append(f"{path.name}: {alias}")
    assert found == []
