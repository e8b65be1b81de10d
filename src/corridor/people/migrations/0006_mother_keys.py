"""Mother keys in the person index (``people.keys``): every person's rows rebuilt once more, now
with a key per token of their mother's name, so that tracing finds a child whose own names were
garbled by her mother's name and a birth year, as the matching engine's blocking does. Same
rebuild as 0004 (``rows_from_names``, which reads the mothers too since this migration); going
back drops the mother keys.
"""

from importlib import import_module

from django.db import migrations

from corridor.people.keys import MOTHER

rows_from_names = import_module(
    "corridor.people.migrations.0004_person_one_name_index"
).rows_from_names


def drop_mother_keys(apps, schema_editor):
    apps.get_model("people", "PersonKey").objects.filter(key__startswith=MOTHER).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0005_name_keys_after_yawa"),
    ]

    operations = [
        migrations.RunPython(rows_from_names, drop_mother_keys),
    ]
