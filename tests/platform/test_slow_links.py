"""Pages on slow links (issue 17, item 12): pages gzip-compressed, static files under hashed
names with a compressed copy and a long cache, Swagger served from the node, a favicon, and a
server-error page in the user's language."""

from __future__ import annotations

import gzip

import pytest
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from django.utils import translation

from corridor.accounts.models import Role
from corridor.core.views import error_500

pytestmark = pytest.mark.django_db


def test_pages_are_compressed(people, as_user):
    client = as_user(people[Role.CASEWORKER])
    plain = client.get("/")
    packed = client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content)[:200] == plain.content[:200]
    assert len(packed.content) < len(plain.content) / 2


def test_static_files_hashed_compressed_and_cached(tmp_path):
    with override_settings(STATIC_ROOT=tmp_path, WHITENOISE_USE_FINDERS=False):
        call_command("collectstatic", "--no-input", verbosity=0)
        from django.contrib.staticfiles.storage import staticfiles_storage
        from django.templatetags.static import static

        staticfiles_storage.manifest_hashes, *_ = staticfiles_storage.load_manifest()
        url = static("corridor/corridor.css")
        name = url.removeprefix("/static/")
        assert name != "corridor/corridor.css" and name.endswith(".css")
        assert (tmp_path / name).exists() and (tmp_path / (name + ".gz")).exists()
        from whitenoise.middleware import WhiteNoiseMiddleware

        served = WhiteNoiseMiddleware(lambda request: None)
        served.add_files(str(tmp_path), prefix="static/")
        response = served(RequestFactory().get(url, HTTP_ACCEPT_ENCODING="gzip"))
        assert response["Content-Encoding"] == "gzip"
        assert (
            "immutable" in response["Cache-Control"]
            and "max-age=315360000" in response["Cache-Control"]
        )


def test_api_docs_load_nothing_from_elsewhere(people, as_user):
    client = as_user(people[Role.COORDINATOR])
    page = client.get("/api/docs/").content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist" in page
    assert "cdn." not in page and "https://" not in page
    script = client.get("/api/docs/?script=").content.decode()
    assert "SwaggerUIBundle" in script


def test_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith(".svg")


@pytest.mark.parametrize(
    ("language", "title"), [("fr", "Erreur du serveur"), ("en", "Server error")]
)
def test_server_error_page_in_the_users_language(language, title):
    with translation.override(language):
        response = error_500(RequestFactory().get("/"))
    assert response.status_code == 500 and title in response.content.decode()
