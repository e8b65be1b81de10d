"""The person index rebuilt from every person's names once more: the variant lists changed
(Yawa is no longer filed with the boys' Yao, and Yaoa joined her), so the rows of a person
named Yawa, Yawavi or Yaoa were filed under keys that search no longer asks for. Same rebuild
as 0004 (``rows_from_names``), with the lists of the code that runs it; going back changes
nothing (the older code's rows are those 0004 rebuilt with the older lists).
"""

from importlib import import_module

from django.db import migrations

rows_from_names = import_module(
    "corridor.people.migrations.0004_person_one_name_index"
).rows_from_names


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_person_one_name_index"),
    ]

    operations = [
        migrations.RunPython(rows_from_names, migrations.RunPython.noop),
    ]
