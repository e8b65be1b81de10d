"""The SMS gateway webhook: a good signature records the SMS and answers the reply to send; a bad
signature, a stale clock, a replay, malformed JSON and bad text are refused with a stable code
and a clear message, and write nothing."""

from __future__ import annotations

import json
import time
import uuid

import pytest
from django.urls import reverse

from corridor.intake import gateway
from corridor.intake.models import Intake, WebhookNonce

URL = reverse("intake:sms_webhook")


def post(client, body: bytes, *, secret=None, nonce=None, timestamp=None, signature=None):
    timestamp = str(int(time.time())) if timestamp is None else timestamp
    nonce = nonce or uuid.uuid4().hex
    signature = signature or gateway.signature(secret or gateway.secret(), timestamp, nonce, body)
    return client.post(
        URL,
        body,
        content_type="application/json",
        headers={
            "X-Corridor-Timestamp": timestamp,
            "X-Corridor-Nonce": nonce,
            "X-Corridor-Signature": signature,
        },
    )


def sms(text="Un enfant dort seul à la gare routière", **extra) -> bytes:
    return json.dumps({"from": "+22890000042", "text": text, "id": "gw-1"} | extra).encode()


@pytest.mark.django_db
def test_a_signed_sms_becomes_an_intake_and_the_answer_carries_the_reply(client):
    response = post(client, sms())
    assert response.status_code == 201
    intake = Intake.objects.get()
    assert intake.channel == "sms" and intake.concern.startswith("Un enfant dort")
    assert intake.reporter_phone == "+22890000042" and intake.agency is None
    assert response.json()["reference"] == intake.ref
    assert intake.ref in response.json()["reply"]
    # The gateway retries the same message with a new nonce: the same intake, not a second one.
    again = post(client, sms())
    assert again.status_code == 200 and again.json()["reference"] == intake.ref
    assert Intake.objects.count() == 1


@pytest.mark.django_db
def test_a_bad_signature_is_refused(client):
    response = post(client, sms(), secret="not-the-shared-secret")
    assert response.status_code == 401 and response.json()["error"] == "bad_signature"
    unsigned = client.post(URL, sms(), content_type="application/json")
    assert unsigned.status_code == 401 and unsigned.json()["error"] == "unsigned"
    assert not Intake.objects.exists() and not WebhookNonce.objects.exists()


@pytest.mark.django_db
def test_a_replay_is_refused_and_so_is_an_old_request(client):
    nonce = uuid.uuid4().hex
    assert post(client, sms(), nonce=nonce).status_code == 201
    replay = post(client, sms(id="gw-2"), nonce=nonce)
    assert replay.status_code == 409 and replay.json()["error"] == "replay"
    stale = post(client, sms(id="gw-3"), timestamp=str(int(time.time()) - 3600))
    assert stale.status_code == 401 and stale.json()["error"] == "stale"
    assert Intake.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"{not json", "malformed_json"),
        (b"[1, 2]", "malformed_json"),
        (json.dumps({"from": "+228", "text": {"a": 1}}).encode(), "bad_field"),
        ("Enfant à la gare".encode("latin-1"), "encoding"),
        (sms(text="   "), "empty_text"),
        (sms(text="x" * 10 * 1024), "bad_text"),
    ],
)
def test_bad_bodies_get_a_clear_error_and_write_nothing(client, body, code):
    response = post(client, body)
    assert response.status_code == 400
    assert response.json()["error"] == code and response.json()["detail"]
    assert not Intake.objects.exists() and not WebhookNonce.objects.exists()


@pytest.mark.django_db
def test_errors_are_translated(client):
    response = post(client, sms(text=""), nonce="n-fr")
    assert response.json()["detail"] == "Le SMS ne contient aucun texte."


def test_the_shared_secret_is_a_private_node_file(settings):
    gateway.secret()
    path = settings.NODE.data_dir / "sms-gateway.secret"
    assert path.exists() and path.stat().st_mode & 0o077 == 0


@pytest.mark.django_db
def test_only_post(client):
    assert client.get(URL).status_code == 405
