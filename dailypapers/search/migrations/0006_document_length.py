"""PostgreSQL: each paper's document length beside its tsvector (SQLite: nothing).

Keyword ranking sums one ts_rank per query word, each normalised by the document's length
(normalization 1: divided by log2(length + 1), the length counting every word position). PostgreSQL
counts that length again in every call: for a twelve-word query over 2,629 papers, 31,548 walks of
a 1.8 KB tsvector, about a quarter of a millisecond per thousand. Stored once per paper, the sum of
un-normalised ranks is divided by it once per paper instead, the same score to float precision.

`search_document_length(tsvector)` counts what ts_rank counts (positions, a lexeme without
positions as one word); the trigger writes it with the tsvector. The table is rebuilt with the new
column, as in 0005, so its rows stay packed and in MAIN storage (about 9 s at 75k papers).
"""

from django.db import migrations

TABLE = "search_paperdocument"
LENGTH_FUNCTION = """CREATE OR REPLACE FUNCTION search_document_length(document tsvector) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(sum(greatest(coalesce(array_length(positions, 1), 0), 1)), 0)::integer FROM unnest(document)
$$"""
DOCUMENT = """setweight(to_tsvector('english'::regconfig, coalesce(NEW.title, '')), 'A')
            || setweight(to_tsvector('english'::regconfig, coalesce(NEW.authors_text, '')), 'B')
            || setweight(to_tsvector('english'::regconfig, coalesce(NEW.abstract, '')), 'C')"""
SYNC_WITH_LENGTH = f"""CREATE OR REPLACE FUNCTION search_paperdocument_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        doc tsvector;
    BEGIN
        IF TG_OP = 'DELETE' THEN
            DELETE FROM search_paperdocument WHERE paper_id = OLD.id;
            RETURN NULL;
        END IF;
        doc := {DOCUMENT};
        INSERT INTO search_paperdocument (paper_id, document, length) VALUES (NEW.id, doc, search_document_length(doc))
        ON CONFLICT (paper_id) DO UPDATE SET document = EXCLUDED.document, length = EXCLUDED.length;
        RETURN NULL;
    END $$"""
SYNC_WITHOUT_LENGTH = f"""CREATE OR REPLACE FUNCTION search_paperdocument_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            DELETE FROM search_paperdocument WHERE paper_id = OLD.id;
            RETURN NULL;
        END IF;
        INSERT INTO search_paperdocument (paper_id, document) VALUES (NEW.id, {DOCUMENT})
        ON CONFLICT (paper_id) DO UPDATE SET document = EXCLUDED.document;
        RETURN NULL;
    END $$"""


def _rebuild(columns: str, select: str):
    return [
        f"LOCK TABLE {TABLE} IN EXCLUSIVE MODE",  # no paper written meanwhile (the trigger writes here)
        f"CREATE TABLE {TABLE}_new ({columns})",
        f"ALTER TABLE {TABLE}_new ALTER COLUMN document SET STORAGE MAIN",
        f"INSERT INTO {TABLE}_new SELECT {select} FROM {TABLE} ORDER BY paper_id",
        f"DROP TABLE {TABLE}",
        f"ALTER TABLE {TABLE}_new RENAME TO {TABLE}",
        f"ALTER INDEX {TABLE}_new_pkey RENAME TO {TABLE}_pkey",
        f"CREATE INDEX {TABLE}_gin ON {TABLE} USING gin (document)",
        f"ANALYZE {TABLE}",
    ]


FORWARD = [
    LENGTH_FUNCTION,
    *_rebuild(
        "paper_id bigint PRIMARY KEY, document tsvector NOT NULL, length integer NOT NULL",
        "paper_id, document, search_document_length(document)",
    ),
    SYNC_WITH_LENGTH,
]
BACKWARD = [
    *_rebuild("paper_id bigint PRIMARY KEY, document tsvector NOT NULL", "paper_id, document"),
    SYNC_WITHOUT_LENGTH,
    "DROP FUNCTION IF EXISTS search_document_length(tsvector)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0005_document_inline")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
