"""Authenticator secrets and recovery-code seeds, stored as allauth wrote them (clear text) until
now, are encrypted under the node's field keys (``CorridorMfaAdapter``); a value already
encrypted is left alone, so the migration may run again."""

from django.db import migrations

from corridor.core import crypto

SECRET_KEYS = ("secret", "seed")


def _is_encrypted(value: str) -> bool:
    try:
        crypto.decrypt(value)
    except ValueError:
        return False
    return True


def _convert(apps, change) -> None:
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.select_for_update().order_by("pk"):
        data = dict(authenticator.data or {})
        for key in SECRET_KEYS:
            if data.get(key):
                data[key] = change(data[key])
        if "migrated_codes" in data:
            data["migrated_codes"] = [change(code) for code in data["migrated_codes"]]
        if data != authenticator.data:
            authenticator.data = data
            authenticator.save(update_fields=["data"])


def encrypt(apps, schema_editor):
    _convert(apps, lambda value: value if _is_encrypted(value) else crypto.encrypt(value))


def decrypt(apps, schema_editor):
    _convert(apps, lambda value: crypto.decrypt(value) if _is_encrypted(value) else value)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_roles_justice_hotline"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt, decrypt)]
