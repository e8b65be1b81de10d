"""One index of names: the ``PersonKey`` rows, rebuilt from every person's names, and the text
copy of the keys (``Person.search_keys``) dropped.

Merge and unmerge refreshed only the text, not the rows person search reads, so the rows of a
person touched by a merge were stale; and the rows now carry typo keys as well (``people.keys``).
Every person's rows are therefore made those of the names they bear, with the key functions of
``corridor.people.keys`` (which import no model, so they are safe to use here). Going back
writes the text from the name keys.
"""

from django.db import migrations

from corridor.people.keys import MOTHER, TYPO, person_index_keys

BATCH = 5000


def other_names(apps) -> dict[int, list[str]]:
    """The other names each person bears (``PersonName``), by person id."""
    others: dict[int, list[str]] = {}
    rows = apps.get_model("people", "PersonName").objects.values_list("person_id", "name")
    for person_id, name in rows.iterator():
        others.setdefault(person_id, []).append(name)
    return others


def rows_from_names(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    PersonKey = apps.get_model("people", "PersonKey")
    Relationship = apps.get_model("people", "Relationship")
    others = other_names(apps)
    # The mother keys (0006) of the names ``Relationship.written_name`` gives (a historical model
    # has no properties): a registered mother's own names, else the name written.
    mothers: dict[int, list[str]] = {}
    rows_of_mothers = Relationship.objects.filter(kind="mother").values_list(
        "person_id", "relative_name", "relative__given_names", "relative__family_name"
    )
    for person_id, written, given, family in rows_of_mothers.iterator():
        name = f"{given} {family}" if given is not None else written
        mothers.setdefault(person_id, []).append(name)
    rows: dict[int, dict[str, int]] = {}
    for row_id, person_id, key in PersonKey.objects.values_list("pk", "person_id", "key").iterator():
        rows.setdefault(person_id, {})[key] = row_id
    stale: list[int] = []
    missing: list = []
    people = Person.objects.values_list("pk", "given_names", "family_name", "name_on_document")
    for pk, *names in people.iterator(chunk_size=BATCH):
        keys = person_index_keys([*names, *others.get(pk, [])], mothers=mothers.get(pk, []))
        have = rows.get(pk, {})
        stale += [row_id for key, row_id in have.items() if key not in keys]
        missing += [PersonKey(person_id=pk, key=key) for key in sorted(keys - set(have))]
    for start in range(0, len(stale), BATCH):
        PersonKey.objects.filter(pk__in=stale[start : start + BATCH]).delete()
    PersonKey.objects.bulk_create(missing, batch_size=BATCH)


def search_keys_from_rows(apps, schema_editor):
    """Going back: the text copy of the name keys (typo keys were not part of it)."""
    Person = apps.get_model("people", "Person")
    PersonKey = apps.get_model("people", "PersonKey")
    keys: dict[int, list[str]] = {}
    rows = (
        PersonKey.objects.exclude(key__startswith=TYPO)
        .exclude(key__startswith=MOTHER)
        .order_by("key")
    )
    for person_id, key in rows.values_list("person_id", "key").iterator():
        keys.setdefault(person_id, []).append(key)
    for pk in Person.objects.values_list("pk", flat=True).iterator(chunk_size=BATCH):
        text = " " + " ".join(keys.get(pk, [])) + " "
        Person.objects.filter(pk=pk).update(search_keys=text)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_person_photo_encrypted"),
    ]

    operations = [
        migrations.RunPython(rows_from_names, search_keys_from_rows),
        migrations.RemoveField(
            model_name="person",
            name="search_keys",
        ),
    ]
