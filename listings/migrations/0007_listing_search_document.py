"""The search document (``listings.search``): four weighted text columns for every database,
and on PostgreSQL their tsvector, kept by a trigger, under a GIN index, plus a trigram index on
the title for misspellings. Existing listings get their columns written here."""

import django.contrib.postgres.search
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

VECTOR_FUNCTION = """
CREATE OR REPLACE FUNCTION listings_listing_search_vector() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('simple', coalesce(NEW.search_title, '')), 'A')
        || setweight(to_tsvector('simple', coalesce(NEW.search_tags, '')), 'B')
        || setweight(to_tsvector('simple', coalesce(NEW.search_place, '')), 'C')
        || setweight(to_tsvector('simple', coalesce(NEW.search_body, '')), 'D');
    RETURN NEW;
END
$$;
"""
# Only when the document changes: matching's updates of matched_at do not pay for it.
VECTOR_TRIGGER = """
CREATE TRIGGER listings_listing_search_vector
BEFORE INSERT OR UPDATE OF search_title, search_tags, search_place, search_body
ON listings_listing FOR EACH ROW EXECUTE FUNCTION listings_listing_search_vector();
"""
INDEXES = """
CREATE INDEX listing_search_idx ON listings_listing USING gin (search_vector);
CREATE INDEX listing_title_trgm_idx ON listings_listing USING gin (search_title gin_trgm_ops);
"""
DROP = """
DROP INDEX IF EXISTS listing_title_trgm_idx;
DROP INDEX IF EXISTS listing_search_idx;
DROP TRIGGER IF EXISTS listings_listing_search_vector ON listings_listing;
DROP FUNCTION IF EXISTS listings_listing_search_vector();
"""


def _postgresql(schema_editor) -> bool:
    return schema_editor.connection.vendor == "postgresql"


def create_vector(apps, schema_editor):
    if _postgresql(schema_editor):
        for statement in (VECTOR_FUNCTION, VECTOR_TRIGGER, INDEXES):
            schema_editor.execute(statement)


def drop_vector(apps, schema_editor):
    if _postgresql(schema_editor):
        schema_editor.execute(DROP)


def write_documents(apps, schema_editor):
    from listings.search import reindex

    reindex(apps.get_model("listings", "Listing"), using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("catalog", "0001_initial"),
        ("listings", "0006_english_title_and_words"),
    ]

    operations = [
        TrigramExtension(),
        migrations.AddField(
            model_name="listing",
            name="search_title",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="listing",
            name="search_tags",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="listing",
            name="search_place",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="listing",
            name="search_body",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="listing",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(create_vector, drop_vector, elidable=False),
        migrations.RunPython(write_documents, migrations.RunPython.noop, elidable=False),
    ]
