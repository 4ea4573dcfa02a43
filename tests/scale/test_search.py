import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from relais.people.models import Person
from relais.scale.models import NameWord
from relais.scale.search import name_score, parse_query, person_search
from relais.scale.search_index import (
    SQLITE_TABLE,
    ensure_sqlite_name_vocabulary,
    ensure_sqlite_person_index,
)
from tests import factories


@pytest.fixture
def persons(organisation):
    names = [
        ("Lefèvre", "Hélène", "", datetime.date(1980, 3, 12)),
        ("Durand", "Jean-Pierre", "", datetime.date(1975, 6, 1)),
        ("Dupont", "Sophie", "Martin", datetime.date(1990, 1, 20)),
        ("Dupond", "Marc", "", datetime.date(1968, 11, 5)),
        ("Benali", "Mohammed", "", datetime.date(1985, 2, 2)),
        ("N'Diaye", "Aïssatou", "", datetime.date(1979, 9, 9)),
        ("Martin", "Paul", "", datetime.date(1981, 4, 4)),
        ("Lemaître", "Élodie", "", None),
    ]
    for i in range(40):  # a crowd of unrelated names around them
        names.append((f"Quelconque{i:02d}", "Camille", "", None))
    return {
        last: factories.PersonFactory(
            organisation=organisation,
            last_name=last,
            first_name=first,
            birth_name=birth,
            birth_date=born,
        )
        for last, first, birth, born in names
    }


def search(text, organisation, **kwargs):
    return person_search(
        Person.objects.filter(organisation=organisation),
        text,
        organisation_id=organisation.pk,
        **kwargs,
    )


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("lefevre", "Lefèvre"),  # missing accent
        ("LEFEVRE helene", "Lefèvre"),
        ("helene lefevre", "Lefèvre"),  # word order
        ("lefebvre", "Lefèvre"),  # spelling variant
        ("durnad", "Durand"),  # transposition
        ("durant jean pierre", "Durand"),  # one letter wrong
        ("mohamed benali", "Benali"),  # doubled letter missing
        ("ndiaye", "N'Diaye"),  # apostrophe
        ("lemaitre", "Lemaître"),
        ("lem", "Lemaître"),  # the beginning of a name
    ],
)
def test_it_finds_a_person_despite_accents_and_typos(persons, organisation, typed, expected):
    results = search(typed, organisation)
    assert results, typed
    assert results[0].last_name == expected


def test_it_finds_a_person_by_birth_name(persons, organisation):
    assert search("sophie martin", organisation)[0].last_name == "Dupont"


def test_close_names_come_after_the_exact_one(persons, organisation):
    results = [p.last_name for p in search("dupont", organisation)]
    assert results[:2] == ["Dupont", "Dupond"]


def test_a_birth_date_narrows_the_search(persons, organisation):
    assert [p.last_name for p in search("12/03/1980", organisation)] == ["Lefèvre"]
    assert [p.last_name for p in search("dupon 05/11/1968", organisation)] == ["Dupond"]
    assert search("lefevre 01/01/2001", organisation) == []


def test_unrelated_text_finds_nobody(persons, organisation):
    assert search("zyxwvu", organisation) == []
    assert search("", organisation) == []
    assert search("   ", organisation) == []


def test_it_never_leaves_the_queryset_it_is_given(persons, organisation, other_organisation):
    factories.PersonFactory(organisation=other_organisation, last_name="Lefèvre")
    results = search("lefevre", organisation)
    assert {p.organisation_id for p in results} == {organisation.pk}


def test_visible_to_is_respected(persons, organisation, alice, charlie):
    persons["Durand"].anonymised_at = timezone.now()
    persons["Durand"].save()
    assert person_search(Person.objects.visible_to(alice), "durand") == []
    assert person_search(Person.objects.visible_to(charlie), "lefevre") == []
    assert person_search(Person.objects.visible_to(alice), "lefevre")[0].last_name == "Lefèvre"


def test_the_index_follows_renames_and_deletions(persons, organisation):
    person = persons["Martin"]
    person.last_name = "Rousseau"
    person.save()
    assert search("rousseau", organisation)[0].pk == person.pk
    assert all(p.pk != person.pk for p in search("martin paul", organisation))
    persons["Dupond"].delete()
    assert [p.last_name for p in search("dupond marc", organisation)][:1] != ["Dupond"]


def test_the_limit_is_respected(persons, organisation):
    assert len(search("camille", organisation, limit=5)) == 5


def test_it_makes_the_same_number_of_queries_whatever_the_matches(
    persons, organisation, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        search("camille", organisation)
    with django_assert_max_num_queries(3):
        search("lefevre", organisation)


def test_parse_query_reads_french_and_iso_dates():
    assert parse_query("Dupont 12/03/1980").birth_date == datetime.date(1980, 3, 12)
    assert parse_query("1980-03-12").birth_date == datetime.date(1980, 3, 12)
    assert parse_query("dupont 31/02/1980").birth_date is None
    assert parse_query("Hélène  D'Aubigné").words == ("helene", "d", "aubigne")


def test_scores_prefer_exact_then_prefix_then_close():
    assert name_score(("dupont",), "dupont sophie") == 1
    assert name_score(("dup",), "dupont sophie") == 0.9
    assert 0.45 < name_score(("dupomt",), "dupont sophie") < 0.9
    assert name_score(("zzzz",), "dupont sophie") < 0.45


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 index is SQLite's")
def test_sqlite_index_is_rebuilt_when_a_migration_dropped_its_triggers(persons, organisation):
    with connection.cursor() as cursor:
        for name in ("insert", "update", "delete"):
            cursor.execute(f"DROP TRIGGER {SQLITE_TABLE}_{name}")
    late = factories.PersonFactory(organisation=organisation, last_name="Tardif")
    assert search("tardif", organisation) == []  # the index missed it
    assert ensure_sqlite_person_index(connection) is True
    assert search("tardif", organisation)[0].pk == late.pk
    assert ensure_sqlite_person_index(connection) is False  # nothing to do any more


def test_the_names_vocabulary_follows_the_names(persons, organisation, other_organisation):
    """Both databases keep the vocabulary by a trigger, one per organisation."""
    words = set(NameWord.objects.filter(organisation=organisation).values_list("word", flat=True))
    assert {"lefevre", "helene", "durand", "jean", "pierre", "n", "diaye"} <= words
    person = persons["Martin"]
    person.last_name = "Vandenbroucke"
    person.save()
    assert NameWord.objects.filter(organisation=organisation, word="vandenbroucke").exists()
    assert not NameWord.objects.filter(organisation=other_organisation).exists()
    factories.PersonFactory(organisation=other_organisation, last_name="Zébulon")
    assert NameWord.objects.filter(organisation=other_organisation, word="zebulon").exists()
    assert not NameWord.objects.filter(organisation=organisation, word="zebulon").exists()
    # A typo is corrected against this organisation's words only.
    assert search("zebulom", organisation) == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's triggers")
def test_sqlite_vocabulary_comes_back_when_a_migration_dropped_its_triggers(persons, organisation):
    with connection.cursor() as cursor:
        for name in ("insert", "update"):
            cursor.execute(f"DROP TRIGGER scale_person_vocabulary_{name}")
    late = factories.PersonFactory(organisation=organisation, last_name="Tardivel")
    assert search("tardivel", organisation)[0].pk == late.pk  # the word itself: FTS5
    assert search("tardivell", organisation) == []  # a typo: the vocabulary missed it
    assert ensure_sqlite_name_vocabulary(connection) is True
    assert search("tardivell", organisation)[0].pk == late.pk
    assert ensure_sqlite_name_vocabulary(connection) is False  # nothing to do any more


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
def test_postgresql_corrects_two_typos_against_the_vocabulary(persons, organisation):
    person = persons["Martin"]
    person.last_name = "Vandenbroucke"
    person.save()
    # Two typos in a long name: the one-edit variants miss it, pg_trgm does not.
    assert search("vandenbrouke paol", organisation)[0].pk == person.pk
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM people_person WHERE "
            "to_tsvector('simple'::regconfig, search_name) @@ to_tsquery('simple', 'durand')"
        )
        plan = " ".join(row[0] for row in cursor.fetchall())
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'nameword_trgm'")
        (vocabulary_index,) = cursor.fetchone()
    assert "person_search_words" in plan
    assert "gin_trgm_ops" in vocabulary_index


def test_migrate_keeps_the_index_in_step(db):
    """post_migrate heals the SQLite index; on PostgreSQL there is nothing to heal."""
    call_command("migrate", "scale", verbosity=0)
    assert ensure_sqlite_person_index(connection) is False
    assert ensure_sqlite_name_vocabulary(connection) is False


def test_the_vocabulary_triggers_are_the_migrations(db):
    """The healing code recreates exactly what migration 0005 created."""
    import importlib

    from relais.scale import search_index

    migration = importlib.import_module("relais.scale.migrations.0005_sqlite_name_vocabulary")
    assert migration.TRIGGERS == search_index._VOCABULARY_TRIGGERS
    assert migration.FILL == search_index._VOCABULARY_FILL


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite-only statistics indexes")
def test_sqlite_statistics_indexes_come_back_after_a_table_rebuild(db):
    from relais.scale.search_index import ensure_sqlite_statistics_indexes

    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX scale_intervention_stats")
    assert ensure_sqlite_statistics_indexes(connection) == ["scale_intervention_stats"]
    assert ensure_sqlite_statistics_indexes(connection) == []


def test_names_in_other_scripts_are_found(organisation):
    polish = factories.PersonFactory(
        organisation=organisation, last_name="Wójcik", first_name="Łukasz"
    )
    chinese = factories.PersonFactory(organisation=organisation, last_name="李", first_name="伟")
    assert search("lukasz wojcik", organisation)[0].pk == polish.pk
    assert search("wojcki", organisation)[0].pk == polish.pk
    assert search("李", organisation)[0].pk == chinese.pk
