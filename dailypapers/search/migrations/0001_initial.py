"""Embedding tables, plus the keyword index and its triggers, per database.

SQLite: an FTS5 external-content table over catalog_paper(title, authors_text, abstract),
kept in step by triggers, so every insert or update (bulk_create and bulk_update too, which
skip Django signals) changes the index in the same transaction.
PostgreSQL: search_paperdocument(paper_id, document tsvector) with title weighted A, authors
B, abstract C, kept by a trigger, with a GIN index. A stored tsvector (rather than an
expression index) lets ranking read the vector instead of re-parsing each matching abstract.
Both: a trigger deletes a paper's PaperEmbedding when its title or abstract changes.
No foreign key from the keyword table: Django's test flush truncates only its own tables.
"""

from django.db import migrations, models
import django.db.models.deletion

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE search_paper_fts USING fts5(
        title, authors_text, abstract,
        content='catalog_paper', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER search_paper_fts_ai AFTER INSERT ON catalog_paper BEGIN
        INSERT INTO search_paper_fts(rowid, title, authors_text, abstract)
        VALUES (new.id, new.title, new.authors_text, new.abstract);
    END""",
    """CREATE TRIGGER search_paper_fts_ad AFTER DELETE ON catalog_paper BEGIN
        INSERT INTO search_paper_fts(search_paper_fts, rowid, title, authors_text, abstract)
        VALUES ('delete', old.id, old.title, old.authors_text, old.abstract);
    END""",
    """CREATE TRIGGER search_paper_fts_au AFTER UPDATE OF title, authors_text, abstract ON catalog_paper BEGIN
        INSERT INTO search_paper_fts(search_paper_fts, rowid, title, authors_text, abstract)
        VALUES ('delete', old.id, old.title, old.authors_text, old.abstract);
        INSERT INTO search_paper_fts(rowid, title, authors_text, abstract)
        VALUES (new.id, new.title, new.authors_text, new.abstract);
    END""",
    """CREATE TRIGGER search_paperembedding_stale AFTER UPDATE OF title, abstract ON catalog_paper
        WHEN old.title IS NOT new.title OR old.abstract IS NOT new.abstract BEGIN
        DELETE FROM search_paperembedding WHERE paper_id = new.id;
    END""",
    "INSERT INTO search_paper_fts(search_paper_fts) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_paperembedding_stale",
    "DROP TRIGGER IF EXISTS search_paper_fts_au",
    "DROP TRIGGER IF EXISTS search_paper_fts_ad",
    "DROP TRIGGER IF EXISTS search_paper_fts_ai",
    "DROP TABLE IF EXISTS search_paper_fts",
]

PG_DOCUMENT = """setweight(to_tsvector('english'::regconfig, coalesce({p}.title, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, coalesce({p}.authors_text, '')), 'B')
    || setweight(to_tsvector('english'::regconfig, coalesce({p}.abstract, '')), 'C')"""
PG_FORWARD = [
    "CREATE TABLE search_paperdocument (paper_id bigint PRIMARY KEY, document tsvector NOT NULL)",
    "CREATE INDEX search_paperdocument_gin ON search_paperdocument USING gin (document)",
    f"""CREATE FUNCTION search_paperdocument_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            DELETE FROM search_paperdocument WHERE paper_id = OLD.id;
            RETURN NULL;
        END IF;
        INSERT INTO search_paperdocument (paper_id, document) VALUES (NEW.id, {PG_DOCUMENT.format(p='NEW')})
        ON CONFLICT (paper_id) DO UPDATE SET document = EXCLUDED.document;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER search_paperdocument_sync
        AFTER INSERT OR DELETE OR UPDATE OF title, authors_text, abstract ON catalog_paper
        FOR EACH ROW EXECUTE FUNCTION search_paperdocument_sync()""",
    """CREATE FUNCTION search_paperembedding_stale() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM search_paperembedding WHERE paper_id = NEW.id;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER search_paperembedding_stale AFTER UPDATE OF title, abstract ON catalog_paper
        FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.abstract IS DISTINCT FROM NEW.abstract)
        EXECUTE FUNCTION search_paperembedding_stale()""",
    f"INSERT INTO search_paperdocument (paper_id, document) SELECT p.id, {PG_DOCUMENT.format(p='p')} FROM catalog_paper p",
]
PG_REVERSE = [
    "DROP TRIGGER IF EXISTS search_paperembedding_stale ON catalog_paper",
    "DROP FUNCTION IF EXISTS search_paperembedding_stale()",
    "DROP TRIGGER IF EXISTS search_paperdocument_sync ON catalog_paper",
    "DROP FUNCTION IF EXISTS search_paperdocument_sync()",
    "DROP TABLE IF EXISTS search_paperdocument",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise RuntimeError(f"search: no keyword index for database {schema_editor.connection.vendor!r} (SQLite or PostgreSQL)")
        for statement in statements:
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    initial = True
    dependencies = [("catalog", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="Embedding",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("model", models.CharField(max_length=64)),
                ("text_hash", models.CharField(help_text="sha256 of the embedded text, hex.", max_length=64)),
                ("vector", models.BinaryField(help_text="float32 little-endian, L2-normalised.")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={"constraints": [models.UniqueConstraint(fields=("model", "text_hash"), name="embedding_unique_model_text")]},
        ),
        migrations.CreateModel(
            name="PaperEmbedding",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("model", models.CharField(max_length=64)),
                ("text_hash", models.CharField(max_length=64)),
                ("paper", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="catalog.paper")),
            ],
            options={
                "indexes": [models.Index(fields=["model", "text_hash"], name="paperembedding_by_text")],
                "constraints": [models.UniqueConstraint(fields=("paper", "model"), name="paperembedding_unique_paper_model")],
            },
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": PG_FORWARD}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": PG_REVERSE}),
        ),
    ]
