"""The person index's typo keys re-filed (``people.keys.token_typo_keys``, from
``normalise.typo_neighbours``): a deletion that brings two equal letters together is now merged
as the phonetic key merges them, so that "Kkou" meets "Kokou", and the phonetic keys of the name
as written with one letter dropped are keys too, so that "Tcahssama" meets "Tchassama". Only the
typo rows change; each new row carries the person's birth year as the person's other rows do.
Going back changes nothing (tracing's blocking alone reads the typo keys, and more of them only
find more candidates).
"""

from importlib import import_module

from django.db import migrations

from corridor.people.keys import TYPO, name_typo_keys

other_names = import_module("corridor.people.migrations.0004_person_one_name_index").other_names

BATCH = 5000


def refile_typo_keys(apps, schema_editor):
    """A chunk of people at a time, so that a national register's three million typo rows are
    never all in memory."""
    Person = apps.get_model("people", "Person")
    PersonKey = apps.get_model("people", "PersonKey")
    others = other_names(apps)
    people = Person.objects.order_by("pk").values_list(
        "pk", "given_names", "family_name", "name_on_document"
    )
    chunk: list[tuple] = []
    for row in people.iterator(chunk_size=BATCH):
        chunk.append(row)
        if len(chunk) == BATCH:
            _refile(PersonKey, chunk, others)
            chunk = []
    _refile(PersonKey, chunk, others)


def _refile(PersonKey, people: list[tuple], others: dict[int, list[str]]) -> None:
    """Each person's typo rows made those of the names they bear, a new row with the birth
    year of the person's other rows."""
    ids = [pk for pk, *_ in people]
    typos: dict[int, dict[str, int]] = {}
    born: dict[int, int | None] = {}
    rows = PersonKey.objects.filter(person_id__in=ids).values_list("pk", "person_id", "key", "born")
    for row_id, person_id, key, year in rows:
        born[person_id] = year
        if key.startswith(TYPO):
            typos.setdefault(person_id, {})[key] = row_id
    stale: list[int] = []
    missing: list = []
    for pk, *names in people:
        keys = name_typo_keys([*names, *others.get(pk, [])])
        have = typos.get(pk, {})
        stale += [row_id for key, row_id in have.items() if key not in keys]
        missing += [
            PersonKey(person_id=pk, key=key, born=born.get(pk)) for key in sorted(keys - set(have))
        ]
    # A chunk's stale rows can outnumber the parameters SQLite takes in one statement.
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
