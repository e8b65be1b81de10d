"""The person's birth year on every row of the name index (``PersonKey.born``), and the index
ordered by key then birth year: tracing blocks a request on its names within a birth interval
by reading this index alone, where it read every person's record (a sequential scan of the
people at 200,000 children). The years are filled from each person's birth as
``people.keys.index_birth_year`` reads it, a year at a time."""

from django.db import migrations, models
from django.utils import timezone

from corridor.people.keys import index_birth_year

BATCH = 5000


def fill_birth_years(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    PersonKey = apps.get_model("people", "PersonKey")
    by_year: dict[int, list[int]] = {}
    people = Person.objects.values_list(
        "pk", "birth_date", "birth_year", "estimated_age", "age_estimated_on", "created_at"
    )
    for pk, birth_date, birth_year, age, estimated_on, created_at in people.iterator(
        chunk_size=BATCH
    ):
        year = index_birth_year(
            birth_date=birth_date,
            birth_year=birth_year,
            estimated_age=age,
            age_estimated_on=estimated_on,
            registered_on=timezone.localtime(created_at).date() if created_at else None,
        )
        if year is not None:
            by_year.setdefault(year, []).append(pk)
    for year, ids in by_year.items():
        for start in range(0, len(ids), BATCH):
            PersonKey.objects.filter(person_id__in=ids[start : start + BATCH]).update(born=year)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0006_mother_keys"),
    ]

    operations = [
        migrations.AddField(
            model_name="personkey",
            name="born",
            field=models.SmallIntegerField(blank=True, null=True),
        ),
        migrations.RemoveIndex(
            model_name="personkey",
            name="people_pers_key_cc5cb1_idx",
        ),
        migrations.RunPython(fill_birth_years, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="personkey",
            index=models.Index(fields=["key", "born", "person"], name="people_key_born"),
        ),
    ]
