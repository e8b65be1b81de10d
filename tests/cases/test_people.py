import base64

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from corridor.audit.models import AuditEntry
from corridor.people.keys import (
    mother_index_keys,
    name_index_keys,
    name_typo_keys,
    person_index_keys,
    token_typo_keys,
)
from corridor.people.models import (
    Person,
    PersonDocument,
    PersonKey,
    PersonName,
    PersonPhone,
    Relationship,
)
from corridor.people.selectors import person_search, visible_persons
from corridor.people.services import (
    person_add_document,
    person_add_name,
    person_add_phone,
    person_add_relationship,
    person_create,
    person_reindex,
    person_set_photo,
    person_update,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    [
        "Kossi Ama",
        "AMA KOSSI",
        "kosi ama",
        "Cossi Ama",
        "Kwasi Ama",
        "ama",
        "d'almeida",
        "DALMEIDA",
        "Kodjo-Mensah",
    ],
)
def test_search_forgives_accents_order_and_spelling(people, query):
    worker = people["caseworker"]
    person = person_create(
        actor=worker, given_names="Ama Kodjo-Mensah", family_name="KOSSI d'Almeida"
    )
    assert person in person_search(worker, query)


def test_search_finds_other_names(people):
    worker = people["caseworker"]
    person = person_create(actor=worker, given_names="Akossiwa", family_name="AGBEKO")
    person_add_name(actor=worker, person=person, name="Mimi", kind="nickname")
    assert list(person_search(worker, "mimi")) == [person]


def test_search_is_scoped(people):
    person_create(actor=people["caseworker"], given_names="Yawa", family_name="KPODAR")
    assert not person_search(people["other_agency.caseworker"], "Yawa").exists()
    assert not person_search(people["investigator"], "Yawa").exists()
    assert person_search(people["coordinator"], "Yawa").exists()


def test_phone_is_stored_as_e164_and_encrypted(people):
    from django.db import connection

    person = person_create(actor=people["caseworker"], given_names="Afi", phones=["90 12 34 56"])
    assert person.phones.get().number == "+22890123456"
    with connection.cursor() as cursor:
        cursor.execute("SELECT number FROM people_personphone")
        stored = cursor.fetchone()[0]
    assert "22890123456" not in stored


@pytest.mark.parametrize(
    "bad",
    [{"phones": ["123"]}, {"citizenships": ["ZZ"]}, {"languages": ["xyz1"]}, {"birth_year": 2999}],
)
def test_bad_values_are_refused_and_nothing_written(people, bad):
    with pytest.raises(ValidationError):
        person_create(actor=people["caseworker"], given_names="Afi", **bad)
    assert not Person.objects.exists()


def test_languages_of_the_corridor(people):
    person = person_create(
        actor=people["caseworker"], given_names="Afi", languages=["ee", "kbp", "fon", "fan", "yo"]
    )
    assert person.languages == ["ewe", "kbp", "fon", "fan", "yor"]


def test_migrant_status_flags_international_protection(people):
    refugee = person_create(
        actor=people["caseworker"], given_names="Moussa", migrant_status="Refugee"
    )
    assert refugee.needs_international_protection


# --- one index of names ------------------------------------------------------------------------


def indexed(person) -> set[str]:
    return set(PersonKey.objects.filter(person_id=person.pk).values_list("key", flat=True))


def test_the_index_files_the_birth_and_follows_its_corrections(people):
    """Each row carries the birth year, and a written date has its own key: both follow a
    correction of the birth, and an estimated age instead of a date drops the date's key."""
    from datetime import date

    worker = people["caseworker"]
    person = person_create(
        actor=worker, given_names="Afi", family_name="AGBEKO", birth_date=date(2013, 5, 2)
    )

    def filed():
        rows = PersonKey.objects.filter(person_id=person.pk)
        return set(rows.values_list("born", flat=True)), indexed(person)

    names = person_index_keys(["Afi", "AGBEKO"])
    assert filed() == ({2013}, names | {"@2013-05-02"})
    person_update(actor=worker, person=person, birth_date=date(2012, 11, 30))
    assert filed() == ({2012}, names | {"@2012-11-30"})
    person_update(
        actor=worker,
        person=person,
        birth_date=None,
        estimated_age=12,
        age_estimated_on=date(2025, 6, 1),
    )
    assert filed() == ({2013}, names)


def test_a_refused_birth_correction_leaves_the_index_as_it_was(people):
    """A birth year in the future, or a correction by a user of another agency, is refused with
    its error and re-files nothing: the rows keep their keys and birth year."""
    from datetime import date

    worker = people["caseworker"]
    person = person_create(
        actor=worker, given_names="Afi", family_name="AGBEKO", birth_date=date(2013, 5, 2)
    )

    def filed():
        return sorted(PersonKey.objects.filter(person_id=person.pk).values_list("key", "born"))

    before = filed()
    with pytest.raises(ValidationError) as refused:
        person_update(actor=worker, person=person, birth_date=None, birth_year=2999)
    assert "birth_year" in refused.value.message_dict
    assert filed() == before
    with pytest.raises(PermissionDenied):
        person_update(
            actor=people["other_agency.caseworker"],
            person=Person.objects.get(pk=person.pk),
            birth_year=2010,
        )
    assert filed() == before


def test_the_index_holds_every_name_and_follows_each_change(people):
    worker = people["caseworker"]
    person = person_create(
        actor=worker,
        given_names="Akossiwa",
        family_name="AGBEKO",
        other_names=[("nickname", "Mimi")],
    )
    assert not hasattr(person, "search_keys")
    assert indexed(person) == person_index_keys(["Akossiwa", "AGBEKO", "Mimi"])
    person_update(actor=worker, person=person, family_name="KPODAR")
    assert indexed(person) == person_index_keys(["Akossiwa", "KPODAR", "Mimi"])
    assert list(person_search(worker, "kpodar")) == [person]
    assert not person_search(worker, "agbeko").exists()
    person_add_name(actor=worker, person=person, name="Agbeko", kind="alias")
    assert list(person_search(worker, "agbeko akossiwa")) == [person]


def test_the_index_files_the_mother_and_follows_her(people):
    """A child's rows carry her mother's name keys: the name written on the relationship, or a
    registered mother's own names, refiled when she is renamed and dropped when her names are
    erased, when tracing reads no mother either. Person search does not read them; a father is
    not filed."""
    from corridor.governance.retention import anonymise_person
    from corridor.tracing.ranking import parent_names

    worker = people["caseworker"]
    child = person_create(actor=worker, given_names="Akuvi", family_name="MENSAH")
    person_add_relationship(actor=worker, person=child, kind="mother", relative_name="Maman Afi")
    assert indexed(child) == person_index_keys(["Akuvi", "MENSAH"], mothers=["Afi"])
    assert mother_index_keys(["Afi"]) and not person_search(worker, "afi").exists()
    sister = person_create(actor=worker, given_names="Ama", family_name="MENSAH")
    mother = person_create(actor=worker, given_names="Abla", family_name="KODJO")
    person_add_relationship(actor=worker, person=sister, kind="mother", relative=mother)
    person_add_relationship(actor=worker, person=sister, kind="father", relative_name="Kossi")
    assert indexed(sister) == person_index_keys(["Ama", "MENSAH"], mothers=["Abla KODJO"])
    person_update(actor=worker, person=mother, given_names="Dzifa")
    assert indexed(sister) == person_index_keys(["Ama", "MENSAH"], mothers=["Dzifa KODJO"])
    anonymise_person(mother)
    assert indexed(sister) == person_index_keys(["Ama", "MENSAH"])
    assert indexed(mother) == set()
    # Tracing compares no mother then, not the words of "(no name)".
    assert parent_names([sister])[sister.pk]["mother"] == ""


def test_reindex_rewrites_only_what_changed(people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    person = person_create(actor=people["caseworker"], given_names="Yawa", family_name="SEWA")
    rows = set(PersonKey.objects.filter(person=person).values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as ctx:
        keys = person_reindex(person=person)
    assert keys == indexed(person)
    writes = [q["sql"] for q in ctx if q["sql"].split()[0] in ("INSERT", "DELETE", "UPDATE")]
    assert writes == []
    assert set(PersonKey.objects.filter(person=person).values_list("pk", flat=True)) == rows


def test_a_new_person_runs_the_registered_hooks_once_committed(
    people, django_capture_on_commit_callbacks
):
    from corridor.people import registry

    assert registry.PERSON_CREATED["tracing.duplicates"].__name__ == "duplicates_for"
    seen = []
    registry.on_person_created("test", seen.append)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            person = person_create(actor=people["caseworker"], given_names="Afi")
        assert seen == []
        for callback in callbacks:
            callback()
        assert seen == [person]
    finally:
        registry.PERSON_CREATED.pop("test")


def test_the_people_of_visible_cases_are_visible(people):
    """Cases tells people, through the registry, that whoever sees a case sees its person."""
    from corridor.cases.services import case_assign, case_open
    from tests.factories import make_user

    worker, colleague = (
        people["caseworker"],
        make_user("caseworker", agency=people["caseworker"].agency),
    )
    person = person_create(actor=worker, given_names="Elom", family_name="FIAGAN")
    case = case_open(actor=worker, person=person)
    assert not visible_persons(colleague).filter(pk=person.pk).exists()
    case_assign(actor=people["supervisor"], case=case, assignee=colleague)
    assert visible_persons(colleague).filter(pk=person.pk).exists()
    assert list(person_search(colleague, "elom")) == [person]


# --- scope as well as role ---------------------------------------------------------------------

PNG = base64.b64decode(  # a 4×4 red picture, as Pillow writes it (photos are re-encoded)
    "iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAFElEQVR4nGM8wcXFAANMDEgANwcALLoA5DVVUv0AAAAASUVORK5CYII="
)
WRITES = {
    "update": lambda actor, person: person_update(actor=actor, person=person, given_names="X"),
    "name": lambda actor, person: person_add_name(actor=actor, person=person, name="Mimi"),
    "phone": lambda actor, person: person_add_phone(
        actor=actor, person=person, number="+22890123456"
    ),
    "document": lambda actor, person: person_add_document(
        actor=actor, person=person, doc_type="passport", number="P1"
    ),
    "photo": lambda actor, person: person_set_photo(actor=actor, person=person, content=PNG),
    "relationship": lambda actor, person: person_add_relationship(
        actor=actor, person=person, kind="mother", relative_name="Afi"
    ),
}


def state(person):
    person.refresh_from_db()
    return (
        person.given_names,
        person.photo,
        PersonName.objects.count(),
        PersonPhone.objects.count(),
        PersonDocument.objects.count(),
        Relationship.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize("write", sorted(WRITES))
@pytest.mark.parametrize(
    "outsider", ["other_agency.caseworker", "other_agency.supervisor", "other_country.coordinator"]
)
def test_people_services_refuse_a_person_out_of_scope(people, write, outsider):
    person = person_create(actor=people["caseworker"], given_names="Ama", family_name="KOSSI")
    before = state(person)
    with pytest.raises(PermissionDenied):
        WRITES[write](people[outsider], person)
    assert state(person) == before


@pytest.mark.parametrize("write", sorted(WRITES))
def test_people_services_allow_the_scope_and_the_node_itself(people, write):
    person = person_create(actor=people["caseworker"], given_names="Ama", family_name="KOSSI")
    WRITES[write](people["supervisor"], person)  # the same agency
    WRITES[write](people["other_agency.coordinator"], person)  # national scope
    WRITES[write](None, person)  # an import by command, a federation handler


def test_a_relative_out_of_scope_is_refused(people):
    mine = person_create(actor=people["caseworker"], given_names="Ama")
    theirs = person_create(actor=people["other_agency.caseworker"], given_names="Afi")
    with pytest.raises(PermissionDenied):
        person_add_relationship(
            actor=people["caseworker"], person=mine, kind="mother", relative=theirs
        )
    assert not Relationship.objects.exists()


def test_a_merged_away_person_is_no_longer_changed(people):
    from corridor.tracing.services import person_merge

    a = person_create(actor=people["caseworker"], given_names="Kossi", family_name="AGBEKO")
    b = person_create(actor=people["caseworker"], given_names="Kwasi", family_name="AGBEKO")
    person_merge(actor=people["supervisor"], survivor=a, duplicate=b)
    with pytest.raises(PermissionDenied):
        person_add_name(actor=people["supervisor"], person=b, name="Kosi")


# --- the index migration -----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_rebuilds_the_rows_from_the_names():
    """A database at 0003 whose rows went stale (a merge refreshed only the text) comes out of
    0004 with the rows of every name each person bears, and goes back to a text of name keys."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from tests.factories import make_agency

    before = [("people", "0003_person_photo_encrypted")]
    after = [("people", "0004_person_one_name_index")]
    agency = make_agency()
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    Person = apps.get_model("people", "Person")
    Key, Name = apps.get_model("people", "PersonKey"), apps.get_model("people", "PersonName")
    survivor = Person.objects.create(
        given_names="Kossi", family_name="AGBEKO", agency_id=agency.pk, search_keys=" x "
    )
    Name.objects.create(person_id=survivor.pk, name="Mawuli")  # moved here by a merge
    fresh = Person.objects.create(given_names="Afi", agency_id=agency.pk, search_keys=" af ")
    Key.objects.bulk_create(
        [Key(person_id=survivor.pk, key="=kossi"), Key(person_id=survivor.pk, key="gone")]
    )
    MigrationExecutor(connection).migrate(after)
    assert indexed(survivor) == person_index_keys(["Kossi", "AGBEKO", "Mawuli"])
    assert indexed(fresh) == person_index_keys(["Afi"])
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    texts = dict(apps.get_model("people", "Person").objects.values_list("pk", "search_keys"))
    # Every app's latest again, not only people's: migrating people back also unapplied the
    # migrations of the apps that depend on it, and the tests after this one need them.
    latest = MigrationExecutor(connection)
    latest.migrate(latest.loader.graph.leaf_nodes())
    expected = sorted(name_index_keys(["Kossi", "AGBEKO", "Mawuli"]))
    assert texts[survivor.pk] == " " + " ".join(expected) + " "


def migrated_to(target):
    """The historical models, with the database migrated to ``target``."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def migrate_to_latest():
    """Every app's latest migration again, not only people's: migrating people back also
    unapplied the migrations of the apps that depend on it."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    latest = MigrationExecutor(connection)
    latest.migrate(latest.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_a_yawa_filed_among_the_yaos_is_filed_again_as_a_yawa():
    """0005 rebuilds the rows with the variant lists of today: a girl named Yawa, filed under
    the boys' Yao before the lists were mended, is found again by a search for Yaoa."""
    from tests.factories import make_agency

    agency = make_agency()
    apps = migrated_to([("people", "0004_person_one_name_index")])
    Person, Key = apps.get_model("people", "Person"), apps.get_model("people", "PersonKey")
    yawa = Person.objects.create(given_names="Yawa", family_name="Mensah", agency_id=agency.pk)
    Key.objects.bulk_create([Key(person_id=yawa.pk, key=key) for key in ("=yao", "~iaua")])
    migrate_to_latest()
    assert indexed(yawa) == person_index_keys(["Yawa", "Mensah"])
    assert name_index_keys(["Yaoa"]) <= indexed(yawa)
    assert "=yao" not in indexed(yawa)


@pytest.mark.django_db(transaction=True)
def test_the_mother_keys_are_filed_for_every_child_and_dropped_going_back():
    """0006 files the mother keys of a database's children: from the name written on the
    relationship, or from a registered mother's names; going back to 0005 drops them only."""
    from tests.factories import make_agency

    before = [("people", "0005_name_keys_after_yawa")]
    agency = make_agency()
    apps = migrated_to(before)
    Person, Relation = apps.get_model("people", "Person"), apps.get_model("people", "Relationship")
    written = Person.objects.create(given_names="Akuvi", family_name="MENSAH", agency_id=agency.pk)
    mother = Person.objects.create(given_names="Abla", family_name="KODJO", agency_id=agency.pk)
    registered = Person.objects.create(given_names="Ama", family_name="KODJO", agency_id=agency.pk)
    Relation.objects.create(person_id=written.pk, kind="mother", relative_name="Maman Afi")
    Relation.objects.create(person_id=registered.pk, kind="mother", relative_id=mother.pk)
    Relation.objects.create(person_id=registered.pk, kind="father", relative_name="Kossi")
    migrate_to_latest()
    assert indexed(written) == person_index_keys(["Akuvi", "MENSAH"], mothers=["Afi"])
    assert indexed(registered) == person_index_keys(["Ama", "KODJO"], mothers=["Abla KODJO"])
    assert indexed(mother) == person_index_keys(["Abla", "KODJO"])
    migrated_to(before)
    assert indexed(written) == person_index_keys(["Akuvi", "MENSAH"])
    migrate_to_latest()


@pytest.mark.django_db(transaction=True)
def test_the_birth_year_is_filed_with_every_key_of_a_database_before_it():
    """0007 files each person's birth year on their rows of the index, read as the engine reads
    a birth: the date's year, else the year, else the age estimated on a date (on the day of
    registration when that date is missing); none when no birth is known."""
    from datetime import UTC, date, datetime

    from tests.factories import make_agency

    agency = make_agency()
    apps = migrated_to([("people", "0006_mother_keys")])
    Person, Key = apps.get_model("people", "Person"), apps.get_model("people", "PersonKey")
    registered = datetime(2024, 3, 1, 12, tzinfo=UTC)
    people = {
        2013: {"birth_date": date(2013, 5, 2), "birth_year": 2013},
        2011: {"birth_year": 2011},
        2014: {"estimated_age": 11, "age_estimated_on": date(2025, 6, 1)},
        2012: {"estimated_age": 12, "created_at": registered},
        None: {},
    }
    rows = {}
    for year, birth in people.items():
        person = Person.objects.create(given_names="Afi", agency_id=agency.pk, **birth)
        Key.objects.bulk_create([Key(person_id=person.pk, key=k) for k in ("=afi", "~af")])
        rows[year] = person.pk
    migrate_to_latest()
    for year, pk in rows.items():
        assert set(PersonKey.objects.filter(person_id=pk).values_list("born", flat=True)) == {year}
    # 0008: the written date's own key, for the one person whose date is written.
    assert set(PersonKey.objects.filter(key__startswith="@").values_list("person_id", "key")) == {
        (rows[2013], "@2013-05-02")
    }


@pytest.mark.django_db(transaction=True)
def test_the_typo_keys_are_filed_again_with_doubled_letters_merged():
    """0009 re-files the typo keys: a child indexed as "Kokou" before it gains the key a search
    for the misspelt "Kkou" asks for, with her birth year; her other rows are left as they
    were, and a stale typo key is dropped."""
    from tests.factories import make_agency

    agency = make_agency()
    apps = migrated_to([("people", "0008_birth_date_keys")])
    Person, Key = apps.get_model("people", "Person"), apps.get_model("people", "PersonKey")
    kokou = Person.objects.create(
        given_names="Kokou", family_name="Amavi", birth_year=2010, agency_id=agency.pk
    )
    before = {"=kokou", "@2010-02-08", "~kku", "~gone"}
    Key.objects.bulk_create([Key(person_id=kokou.pk, key=k, born=2010) for k in before])
    migrate_to_latest()
    rows = dict(PersonKey.objects.filter(person_id=kokou.pk).values_list("key", "born"))
    assert set(rows) == {"=kokou", "@2010-02-08"} | name_typo_keys(["Kokou", "Amavi"])
    assert "~ku" in rows and "~kku" not in rows and "~gone" not in rows
    assert set(rows.values()) == {2010}
    assert token_typo_keys("Kkou") & token_typo_keys("Kokou")
