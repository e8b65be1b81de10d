import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from corridor.audit.models import Action, AuditEntry
from corridor.audit.services import audit_record, audit_verify
from tests.factories import make_agency, make_user

pytestmark = pytest.mark.django_db


def _chain(n=5):
    agency = make_agency()
    for i in range(n):
        audit_record(actor=None, action=Action.UPDATE, target=agency, summary=f"change {i}")
    return list(AuditEntry.objects.order_by("seq"))


def test_every_service_write_is_chained():
    user = make_user("caseworker")
    entries = list(AuditEntry.objects.order_by("seq"))
    assert [e.action for e in entries] == ["create", "create"]  # the agency, then the user
    assert entries[1].object_type == "accounts.user" and entries[1].object_id == str(user.pk)
    assert entries[1].prev_hash == entries[0].hash
    assert audit_verify().ok


def test_verify_catches_an_edited_row():
    entries = _chain()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditentry SET summary = %s WHERE seq = %s", ["forged", entries[2].seq]
        )
    report = audit_verify()
    assert not report.ok and report.seq == entries[2].seq
    assert "edited" in report.problem


def test_verify_catches_a_deleted_row():
    entries = _chain()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE seq = %s", [entries[3].seq])
    report = audit_verify()
    assert not report.ok and report.seq == entries[3].seq


def test_verify_catches_reordering():
    entries = _chain()
    a, b = entries[1], entries[2]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET seq = 999999 WHERE seq = %s", [a.seq])
        cursor.execute("UPDATE audit_auditentry SET seq = %s WHERE seq = %s", [a.seq, b.seq])
        cursor.execute("UPDATE audit_auditentry SET seq = %s WHERE seq = 999999", [b.seq])
    report = audit_verify()
    assert not report.ok and report.seq == a.seq


def test_verify_command_exit_status(capsys):
    entries = _chain(3)
    call_command("audit", "verify")
    total = AuditEntry.objects.count()
    assert total >= len(entries)
    assert f"Audit chain intact: {total} entries verified." in capsys.readouterr().out
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditentry SET action = %s WHERE seq = %s", ["read", entries[1].seq]
        )
    with pytest.raises(CommandError, match=f"#{entries[1].seq}"):
        call_command("audit", "verify")


def test_unknown_action_is_refused_and_nothing_written():
    before = AuditEntry.objects.count()
    with pytest.raises(ValueError):
        audit_record(actor=None, action="teleport")
    assert AuditEntry.objects.count() == before


def test_my_recent_activity_names_what_a_bare_read_was_of(client):
    import html

    from django.utils import translation

    user = make_user("caseworker")
    agency = make_agency()
    audit_record(actor=user, action=Action.READ, target=agency)
    client.force_login(user)
    client.cookies["corridor_language"] = "fr"
    page = html.unescape(client.get("/").content.decode())
    with translation.override("fr"):
        kind = str(type(agency)._meta.verbose_name)
    assert f"Consultation · {kind} {agency.pk}" in page
