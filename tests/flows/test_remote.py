"""Pulling submissions from ODK Central and KoboToolbox over HTTP, against a local server that
answers as their documented APIs do: sessions and bearer tokens, OData pages with
``@odata.nextLink``, Kobo pages with ``next``, edits, attachments; bad credentials, a page that
is not JSON and a next link to another host."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.utils import timezone

from corridor.accounts.models import Role
from corridor.flows import remote
from corridor.flows.models import FlowCount, Submission

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


def answers(**values) -> dict:
    day = (timezone.localdate() - timedelta(days=1)).isoformat()
    base = {
        "point": "TG-KOD",
        "day": day,
        "direction": "in",
        "nationality": "GH",
        "transport": "bus",
        "reason": "trade",
        "adult_m": "2",
        "adult_f": "3",
        "child_m": "1",
        "child_f": "1",
        "unaccompanied": "1",
    }
    return base | values


def central(instance: str, version: str = "", deprecated: str = "", **values) -> dict:
    """One submission as Central's OData data document gives it (groups nested)."""
    meta = {"instanceID": f"uuid:{version or instance}"}
    if deprecated:
        meta["deprecatedID"] = f"uuid:{deprecated}"
    return {
        "__id": f"uuid:{instance}",
        "__system": {"formVersion": "2026.1", "attachmentsPresent": 1 if instance == "c1" else 0},
        "meta": meta,
        **answers(**values),
    }


def kobo(instance: str, **values) -> dict:
    return {
        "_id": 1,
        "_uuid": instance,
        "_xform_id_string": "corridor_flow_count",
        "__version__": "2026.1",
        "meta/instanceID": f"uuid:{instance}",
        "_attachments": [{"filename": "field/photo.png", "download_url": "/media/photo.png"}]
        if instance == "k1"
        else [],
        **answers(**values),
    }


class Server:
    """A Central and a Kobo in one process: ``self.central`` and ``self.kobo`` hold what each
    serves; every request is recorded."""

    def __init__(self):
        self.central = [central("c1"), central("c2", adult_m="10"), central("c3")]
        self.kobo = [kobo("k1"), kobo("k2"), kobo("k3")]
        self.requests: list[str] = []
        self.not_json = False
        self.foreign_next = False
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status, body, kind="application/json"):
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                outer.requests.append(f"POST {self.path}")
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length))
                if self.path == "/v1/sessions" and body == {
                    "email": "odk@demo.example",
                    "password": "right",
                }:
                    return self._send(200, {"token": "tok"})
                return self._send(401, {"message": "Could not authenticate"})

            def do_GET(self):
                outer.requests.append(f"GET {self.path}")
                url = urlsplit(self.path)
                query = parse_qs(url.query)
                auth = self.headers.get("Authorization", "")
                if outer.not_json:
                    return self._send(200, b"<html>maintenance</html>", "text/html")
                if url.path.startswith("/v1/"):
                    if auth != "Bearer tok":
                        return self._send(401, {"message": "unauthorised"})
                    if url.path.endswith(".svc/Submissions"):
                        top, skip = int(query["$top"][0]), int(query["$skip"][0])
                        rows = outer.central[skip : skip + top]
                        page = {"value": rows, "@odata.count": len(outer.central)}
                        if skip + top < len(outer.central):
                            page["@odata.nextLink"] = (
                                f"{url.path}?%24top={top}&%24skip={skip + top}&%24count=true"
                            )
                        return self._send(200, page)
                    if url.path.endswith("/attachments"):
                        return self._send(
                            200,
                            [
                                {"name": "photo.png", "exists": True},
                                {"name": "script.exe", "exists": True},
                                {"name": "missing.jpg", "exists": False},
                            ],
                        )
                    if url.path.endswith("/photo.png"):
                        return self._send(200, PNG, "image/png")
                    return self._send(404, {"message": "not found"})
                if auth != "Token kobo-token":
                    return self._send(401, {"detail": "Invalid token."})
                if url.path == "/api/v2/assets/aK3/data/":
                    start, limit = int(query.get("start", ["0"])[0]), int(query["limit"][0])
                    rows = outer.kobo[start : start + limit]
                    more = start + limit < len(outer.kobo)
                    host = "http://elsewhere.example" if outer.foreign_next else ""
                    nxt = f"{host}{url.path}?format=json&limit={limit}&start={start + limit}"
                    return self._send(
                        200,
                        {"count": len(outer.kobo), "next": nxt if more else None, "results": rows},
                    )
                if url.path == "/media/photo.png":
                    return self._send(200, PNG, "image/png")
                return self._send(404, {"detail": "Not found."})

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()


@pytest.fixture
def server(monkeypatch, tmp_path):
    monkeypatch.setattr(remote, "PAGE", 2)
    monkeypatch.setattr(remote, "attachments_dir", lambda: tmp_path / "attachments")
    served = Server()
    yield served
    served.httpd.shutdown()
    served.httpd.server_close()


def central_source(server, password="right") -> remote.Source:
    return remote.Source(
        kind="central",
        url=server.url,
        project="7",
        form="corridor_flow_count",
        email="odk@demo.example",
        secret=password,
    )


def kobo_source(server, token="kobo-token") -> remote.Source:
    return remote.Source(
        kind="kobo", url=server.url, asset="aK3", form="corridor_flow_count", secret=token
    )


def travellers() -> int:
    return FlowCount.objects.aggregate(n=Sum("count"))["n"] or 0


def test_central_pull_pages_attachments_and_edits(people, points, server):
    coordinator = people[Role.COORDINATOR]
    pulled = remote.pull(actor=coordinator, source=central_source(server))
    assert (pulled.pages, pulled.submissions, pulled.report.imported) == (2, 3, 3)
    assert travellers() == 7 + 15 + 7
    assert any("%24skip=2" in r for r in server.requests)  # the second page, from nextLink
    assert pulled.attachments == 1 and len(pulled.refused_attachments) == 1
    assert pulled.refused_attachments[0].startswith("script.exe: type")
    kept = remote.attachments_dir() / "c1" / "photo.png"
    assert kept.read_bytes() == PNG and kept.stat().st_mode & 0o077 == 0
    # Pulling again changes nothing; an edit made on Central replaces its first version.
    again = remote.pull(actor=coordinator, source=central_source(server))
    assert (again.report.imported, again.report.unchanged) == (0, 3)
    server.central[1] = central("c2", version="c2-v2", deprecated="c2", adult_m="0")
    edited = remote.pull(actor=coordinator, source=central_source(server))
    assert (edited.report.replaced, edited.report.unchanged) == (1, 2)
    assert travellers() == 7 + 5 + 7
    assert Submission.objects.filter(status="superseded").count() == 1


def test_kobo_pull_follows_next_and_keeps_attachments(people, points, server):
    pulled = remote.pull(actor=people[Role.COORDINATOR], source=kobo_source(server))
    assert (pulled.pages, pulled.report.imported, pulled.attachments) == (2, 3, 1)
    assert (remote.attachments_dir() / "k1" / "photo.png").read_bytes() == PNG
    assert travellers() == 21


@pytest.mark.parametrize(
    ("source", "setup", "message"),
    [
        (lambda s: central_source(s, password="wrong"), None, "refused the credentials"),
        (lambda s: kobo_source(s, token="stale"), None, "refused the credentials"),
        (kobo_source, "not_json", "did not answer with JSON"),
        (kobo_source, "foreign_next", "another host"),
    ],
)
def test_bad_answers_stop_the_pull_with_a_clear_message(
    people, points, server, source, setup, message
):
    if setup:
        setattr(server, setup, True)
    with pytest.raises(remote.RemoteError, match=message):
        remote.pull(actor=people[Role.COORDINATOR], source=source(server))
    if setup != "foreign_next":  # the first page (same host) went in before the bad link
        assert travellers() == 0


def test_unreachable_server(people, points):
    source = remote.Source(kind="kobo", url="http://127.0.0.1:9", asset="a", form="f", secret="t")
    with pytest.raises(remote.RemoteError, match="cannot be reached"):
        remote.pull(actor=people[Role.COORDINATOR], source=source)


def test_command(people, points, server, tmp_path):
    secret = tmp_path / "central.secret"
    secret.write_text("right\n")
    secret.chmod(0o644)
    args = ["--central", server.url, "--project", "7", "--form", "corridor_flow_count"]
    args += ["--email", "odk@demo.example", "--secret-file", str(secret)]
    with pytest.raises(CommandError, match="chmod 600"):
        call_command("pull_submissions", *args)
    secret.chmod(0o600)
    with pytest.raises(CommandError, match="--project"):
        call_command(
            "pull_submissions", "--central", server.url, "--form", "x", "--secret-file", str(secret)
        )
    call_command("pull_submissions", *args)
    assert Submission.objects.count() == 3
    assert Path(remote.attachments_dir()).is_dir()
