"""Follow-up visits with ODK Collect: the XLSForm (pyxform converts it; it picks the child from
the entity list filtered to the phone's user), its submissions recorded through the same sync as
the offline pages, and the entity list kept up to date on a server answering as ODK Central's
Entities API does."""

# ruff: noqa: F811
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.management import call_command
from pyxform.xls2xform import convert

from corridor.accounts.models import Role
from corridor.childcare import services as childcare
from corridor.childcare.models import FollowUpVisit
from corridor.fieldwork import odk
from corridor.flows import importers, remote
from corridor.flows.models import Submission
from tests.childcare.conftest import (  # noqa: F401
    RATINGS,
    child,
    day,
    supervisor,
    worker,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(child, worker):
    childcare.placement_start(actor=worker, case=child, kind="kinship", start_on=day(10))
    return child


def test_the_xlsform_converts_and_reads_the_entity_list(tmp_path: Path):
    call_command("fieldwork", "xlsform", "--out", str(tmp_path))
    path = tmp_path / "corridor_follow_up.xlsx"
    xform = convert(xlsform=str(path), validate=False).xform
    assert 'id="corridor_follow_up"' in xform
    assert "cases.csv" in xform and "worker = " in xform.replace("&gt;", ">")


def submission(case, username, instance="v1", **over) -> dict:
    """One KoboToolbox/ODK JSON submission of the follow-up form."""
    return {
        "_uuid": instance,
        "_xform_id_string": "corridor_follow_up",
        "__version__": "2026.1",
        "meta/instanceID": f"uuid:{instance}",
        "username": username,
        "case": case.ref,
        "month": "3",
        "visited_on": day(100).isoformat(),
        "living_with": "relatives",
        "schooling": "school",
        "safety": "safe",
        "childs_account": "Je vais à l'école.",
        **{k: str(v) for k, v in RATINGS.items()},
        **over,
    }


def test_a_submission_becomes_the_workers_visit_once(placed, worker, people):
    coordinator = people[Role.COORDINATOR]
    report = importers.import_records(
        actor=coordinator, records=[submission(placed, worker.username)], source="kobo"
    )
    assert (report.imported, report.errors) == (1, [])
    visit = FollowUpVisit.objects.get()
    assert visit.case == placed and visit.recorded_by == worker and visit.reintegrated
    kept = Submission.objects.get()
    assert set(kept.data) == {"case", "month", "username"}  # the child's words stay in the visit
    again = importers.import_records(
        actor=coordinator, records=[submission(placed, worker.username)], source="kobo"
    )
    assert again.unchanged == 1 and FollowUpVisit.objects.count() == 1


@pytest.mark.parametrize(
    ("username", "over", "message"),
    [
        ("nobody", {}, "no account of this node"),
        ("other.caseworker", {}, "no longer yours"),
        ("home.caseworker", {"visited_on": "2001-01-01"}, "before"),
        ("home.caseworker", {"econ_needs": "9"}, "5"),
    ],
)
def test_a_refused_submission_changes_nothing_and_says_why(placed, people, username, over, message):
    report = importers.import_records(
        actor=people[Role.COORDINATOR],
        records=[submission(placed, username, **over)],
        source="kobo",
    )
    assert len(report.errors) == 1 and message in report.errors[0][2], report.errors
    assert not FollowUpVisit.objects.exists() and not Submission.objects.exists()


class Central:
    """Sessions, the dataset's OData document and the Entities API."""

    def __init__(self):
        self.entities: dict[str, dict] = {}
        self.calls: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _body(self):
                return json.loads(self.rfile.read(int(self.headers["Content-Length"])))

            def do_POST(self):
                outer.calls.append(f"POST {self.path}")
                if self.path == "/v1/sessions":
                    return self._send(200, {"token": "tok"})
                if self.headers.get("Authorization") != "Bearer tok":
                    return self._send(401, {})
                row = self._body()
                outer.entities[row["uuid"]] = {"label": row["label"], **row["data"]}
                return self._send(200, {"uuid": row["uuid"]})

            def do_PATCH(self):
                outer.calls.append(f"PATCH {self.path}")
                uid = self.path.split("/entities/")[1].split("?")[0]
                row = self._body()
                outer.entities[uid] = {"label": row["label"], **row["data"]}
                return self._send(200, {"uuid": uid})

            def do_GET(self):
                outer.calls.append(f"GET {self.path}")
                if self.headers.get("Authorization") != "Bearer tok":
                    return self._send(401, {})
                value = [{"__id": uid, **row} for uid, row in outer.entities.items()]
                return self._send(200, {"value": value})

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


def test_the_entity_list_is_created_then_only_changes_are_sent(placed, worker):
    central = Central()
    source = remote.Source(
        kind="central", url=central.url, form="x", secret="s", project="3", email="e"
    )
    try:
        assert odk.entities_push(source=source) == {"created": 1, "updated": 0, "unchanged": 0}
        [entity] = central.entities.values()
        assert entity["ref"] == placed.ref and entity["worker"] == worker.username
        assert "DEMO-AKAKPO" not in json.dumps(entity)  # the given name only, no family name
        assert odk.entities_push(source=source) == {"created": 0, "updated": 0, "unchanged": 1}
        placed.person.place_of_origin = "Atakpamé"
        placed.person.save(update_fields=["place_of_origin"])
        assert odk.entities_push(source=source) == {"created": 0, "updated": 1, "unchanged": 0}
        assert any(call.startswith("PATCH") for call in central.calls)
    finally:
        central.httpd.shutdown()
        central.httpd.server_close()
