"""Birth-date keys in the person index (``people.keys.BIRTH_DATE``): a row per person whose birth
date is written, with their birth year like every row, so that tracing finds a child whose
names share nothing with a request giving the same date, as the matching engine's blocking
does. Going back drops them."""

from django.db import migrations

from corridor.people.keys import BIRTH_DATE, birth_date_keys

BATCH = 5000


def file_birth_dates(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    PersonKey = apps.get_model("people", "PersonKey")
    PersonKey.objects.bulk_create(
        (
            PersonKey(person_id=pk, key=key, born=born_on.year)
            for pk, born_on in Person.objects.filter(birth_date__isnull=False)
            .values_list("pk", "birth_date")
            .iterator(chunk_size=BATCH)
            for key in birth_date_keys(born_on)
        ),
        batch_size=BATCH,
        ignore_conflicts=True,
    )


def drop_birth_dates(apps, schema_editor):
    apps.get_model("people", "PersonKey").objects.filter(key__startswith=BIRTH_DATE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0007_personkey_born"),
    ]

    operations = [
        migrations.RunPython(file_birth_dates, drop_birth_dates),
    ]
