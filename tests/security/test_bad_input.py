"""Item 15: bad input is refused early and clearly: a workbook declaring billions of cells, files
over the upload limits, JSON nested too deep, ids in the query string that are not ids."""

from __future__ import annotations

import base64
import io
import time
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from corridor.cases.htcds.importer import htcds_import
from corridor.core import tabular
from corridor.federation import sealed
from corridor.flows import importers
from corridor.people.models import Person
from tests.api.permissions import token_client

pytestmark = pytest.mark.django_db


def _workbook(rows: list[list[str]], *, declared: str | None = None) -> bytes:
    """An .xlsx of ``rows`` whose first sheet declares the dimension ``declared`` (none if
    ``""``)."""
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    raw = io.BytesIO()
    book.save(raw)
    if declared is None:
        return raw.getvalue()
    source = zipfile.ZipFile(io.BytesIO(raw.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                start = data.index(b"<dimension ref=")
                end = data.index(b"/>", start) + 2
                dimension = f'<dimension ref="{declared}"/>' if declared else ""
                data = data[:start] + dimension.encode() + data[end:]
            target.writestr(item, data)
    return out.getvalue()


def test_a_small_workbook_declaring_17_billion_cells_is_refused_before_reading(people):
    bomb = _workbook(
        [["prs_FirstName", "prs_SecondName"], ["Ama", "KOSSI"]], declared="A1:XFD1048576"
    )
    assert len(bomb) < 8000
    started = time.monotonic()
    report = htcds_import(actor=people["coordinator"], name="bomb.xlsx", content=bomb)
    assert time.monotonic() - started < 5
    [error] = report.errors
    assert "5 000 000 cells" in error.message and "16384 columns" in error.message


def test_a_sheet_declaring_no_size_is_stopped_while_read():
    liar = _workbook([[f"c{i}"] for i in range(40)], declared="")
    with pytest.raises(tabular.TabularError, match="limit of 10 cells"):
        tabular.read_xlsx(liar, limits=tabular.Limits(max_cells=10))
    assert len(tabular.read_xlsx(liar, limits=tabular.Limits(max_cells=40)).rows) == 39


DEEP = "[" * 100_000 + "]" * 100_000


def test_deeply_nested_json_to_the_api_is_a_400(people):
    client = token_client(people["caseworker"])
    response = client.post("/api/persons/", data=DEEP, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == "Le JSON est imbriqué trop profondément."  # French first


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ('{"given_names": "Afi",\n "family_name" "Mensah"}', "(ligne 2, colonne 16)."),
        ("[1, 2", "(ligne 1, colonne 6)."),
        ('{"age": NaN}', "n'est pas du JSON valide."),
        (b"\xff\xfe{}", "n'est pas du JSON valide."),
    ],
)
def test_a_body_that_is_not_json_is_a_400_saying_where(people, body, detail):
    client = token_client(people["caseworker"])
    response = client.post("/api/persons/", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Le corps de la requête n'est pas du JSON valide")
    assert response.json()["detail"].endswith(detail)
    assert not Person.objects.exists()


def test_a_request_the_node_will_not_read_gets_a_page_in_french(client, settings):
    """Another host name, or a body over the upload limit: Django's bare English "Bad Request
    (400)" page was what a user saw."""
    settings.ALLOWED_HOSTS = ["corridor.example.tg"]
    response = client.get("/accounts/login/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    page = response.content.decode()
    assert '<html lang="fr">' in page and "Requête refusée" in page and "Bad Request" not in page
    settings.ALLOWED_HOSTS = ["testserver"]
    too_big = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post("/federation/inbox/", data=too_big, content_type="application/json")
    assert response.status_code == 400 and "Requête refusée" in response.content.decode()


def test_deeply_nested_json_to_the_inbox_is_refused_as_malformed(client):
    header = base64.urlsafe_b64encode(DEEP.encode()).decode().rstrip("=")
    response = client.post(
        reverse("federation:receive"),
        data=f"{header}.a.b.c.d",
        content_type="application/jose",
    )
    assert response.status_code == 400 and response.json()["error"] == "malformed"


def test_deeply_nested_sealed_file_and_submissions_are_clear_errors(people):
    with pytest.raises(ValidationError, match="not a Corridor sealed file"):
        sealed.sealed_import(actor=people["administrator"], data=DEEP.encode())
    report = importers.import_file(
        actor=people["coordinator"], content=DEEP.encode(), filename="x.json"
    )
    assert report.errors == [(0, "", "The JSON is nested too deeply.")]


def test_uploads_over_their_limit_are_refused_before_anything_is_read(people, settings, client):
    report = importers.import_file(
        actor=people["coordinator"], content=b"a" * (importers.LIMITS.max_bytes + 1)
    )
    assert report.errors == [(0, "", "The file is larger than 10 MB.")]
    with pytest.raises(ValidationError, match="larger than 20 MB"):
        sealed.sealed_import(
            actor=people["administrator"], data=b" " * (sealed.MAX_SEALED_BYTES + 1)
        )
    settings.CORRIDOR_MAX_REQUEST_BYTES = 1000
    response = client.post(
        reverse("federation:receive"), data="x" * 1001, content_type="application/jose"
    )
    assert response.status_code == 413
    response = client.post(
        "/accounts/login/", data={"login": "x" * 2000}, content_type="multipart/form-data"
    )
    assert response.status_code == 413


@pytest.mark.parametrize("value", ["not-a-uuid", "1", "'; select 1", "0" * 100])
def test_an_id_in_the_query_string_that_is_not_one_is_a_404(people, as_user, value):
    client = as_user(people["caseworker"])
    assert client.get(reverse("screening:new"), {"person": value}).status_code == 404
    assert client.get(reverse("tracing:duplicates"), {"person": value}).status_code == 200
    assert client.get(reverse("people:list"), {"page": value}).status_code == 200
