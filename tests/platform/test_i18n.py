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
