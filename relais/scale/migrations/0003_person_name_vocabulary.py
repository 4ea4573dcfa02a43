"""PostgreSQL: the names' vocabulary (NameWord) with a trigram index, kept by a trigger,
and a word index (tsvector) on people_person.

Measured on 100,000 persons: pg_trgm on the whole search_name (0001) needs a low
threshold to forgive a typo in a short name, and then rechecks tens of thousands of rows
(0.4–0.9 s). Here pg_trgm compares the typed words to the few thousand distinct words of
the organisation's names, and the persons bearing the chosen words come from the word
index. SQLite does the same with its FTS5 word index (0002): the table stays empty there.
"""

import django.db.models.deletion
from django.db import migrations, models

from relais.scale.search_index import VendorRunSQL

FUNCTION = """
CREATE OR REPLACE FUNCTION scale_person_name_words() RETURNS trigger AS $$
BEGIN
    INSERT INTO scale_nameword (organisation_id, word)
    SELECT NEW.organisation_id, w
    FROM unnest(string_to_array(NEW.search_name, ' ')) AS w
    WHERE w <> ''
    ON CONFLICT (organisation_id, word) DO NOTHING;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('scale', '0002_person_word_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='NameWord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('word', models.CharField(max_length=120)),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.organisation')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('organisation', 'word'), name='nameword_unique')],
            },
        ),
        VendorRunSQL(
            "postgresql",
            [
                "CREATE INDEX IF NOT EXISTS nameword_trgm ON scale_nameword "
                "USING gin (word gin_trgm_ops)",
                "CREATE INDEX IF NOT EXISTS person_search_words ON people_person "
                "USING gin (to_tsvector('simple'::regconfig, search_name))",
                FUNCTION,
                "CREATE TRIGGER scale_person_name_words AFTER INSERT OR UPDATE OF search_name "
                "ON people_person FOR EACH ROW EXECUTE FUNCTION scale_person_name_words()",
                "INSERT INTO scale_nameword (organisation_id, word) "
                "SELECT DISTINCT organisation_id, w FROM people_person, "
                "unnest(string_to_array(search_name, ' ')) AS w WHERE w <> '' "
                "ON CONFLICT (organisation_id, word) DO NOTHING",
                "ANALYZE scale_nameword",
            ],
            [
                "DROP TRIGGER IF EXISTS scale_person_name_words ON people_person",
                "DROP FUNCTION IF EXISTS scale_person_name_words()",
                "DROP INDEX IF EXISTS person_search_words",
            ],
        ),
    ]
