"""The person index's typo keys re-filed (``people.keys.token_typo_keys``): a deletion that
brings two equal letters together is now merged as the phonetic key merges them, so that
"Kkou" meets "Kokou" (``normalise.typo_neighbours``). Only the typo rows change; each new row
carries the person's birth year as the person's other rows do. Going back changes nothing (the
older code's typo keys are a subset of each token's neighbours, read by nothing else).
"""

from importlib import import_module

from django.db import migrations

from corridor.people.keys import TYPO, name_typo_keys

other_names = import_module("corridor.people.migrations.0004_person_one_name_index").other_names

BATCH = 5000


def refile_typo_keys(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    PersonKey = apps.get_model("people", "PersonKey")
    others = other_names(apps)
    typos: dict[int, dict[str, int]] = {}
    born: dict[int, int | None] = {}
    rows = PersonKey.objects.values_list("pk", "person_id", "key", "born")
    for row_id, person_id, key, year in rows.iterator(chunk_size=BATCH):
        born[person_id] = year
        if key.startswith(TYPO):
            typos.setdefault(person_id, {})[key] = row_id
    stale: list[int] = []
    missing: list = []
    people = Person.objects.values_list("pk", "given_names", "family_name", "name_on_document")
    for pk, *names in people.iterator(chunk_size=BATCH):
        keys = name_typo_keys([*names, *others.get(pk, [])])
        have = typos.get(pk, {})
        stale += [row_id for key, row_id in have.items() if key not in keys]
        missing += [
            PersonKey(person_id=pk, key=key, born=born.get(pk)) for key in sorted(keys - set(have))
        ]
    for start in range(0, len(stale), BATCH):
        PersonKey.objects.filter(pk__in=stale[start : start + BATCH]).delete()
    PersonKey.objects.bulk_create(missing, batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0008_birth_date_keys"),
    ]

    operations = [
        migrations.RunPython(refile_typo_keys, migrations.RunPython.noop),
    ]
