"""Search state derived from the catalogue: stored embeddings and which paper has which.

`Embedding` is keyed by (model, sha256 of the embedded text), so a text is never embedded
twice by one model and a model change re-embeds. `PaperEmbedding` links a paper to the
embedding of its current text; a database trigger (migration 0001) deletes the link when a
paper's title or abstract changes, so `dailypapers index` finds it pending again. Its primary
key is the key of the paper's vector in the HNSW index: a re-embedded paper gets a new key,
which is how the index notices the change. `EmbeddingTask` is the queue of papers waiting to be
embedded, newest listing day first; workers claim batches of it (see indexing.py).
"""

from __future__ import annotations

from django.db import models


class Embedding(models.Model):
    model = models.CharField(max_length=64)
    text_hash = models.CharField(max_length=64, help_text="sha256 of the embedded text, hex.")
    vector = models.BinaryField(help_text="float32 little-endian, L2-normalised.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["model", "text_hash"], name="embedding_unique_model_text")]


class PaperEmbedding(models.Model):
    paper = models.ForeignKey("catalog.Paper", on_delete=models.CASCADE, related_name="+")
    model = models.CharField(max_length=64)
    text_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["paper", "model"], name="paperembedding_unique_paper_model")]
        indexes = [models.Index(fields=["model", "text_hash"], name="paperembedding_by_text")]


class EmbeddingTask(models.Model):
    """A paper waiting for an embedding of its current text by `model`.

    Derived from the catalogue (refilled by `enqueue_pending`), never the truth: a task whose
    paper is gone or already embedded is dropped when claimed. No database foreign key, so a
    paper deleted by raw SQL leaves a stale task, not a failed transaction.
    """

    paper = models.ForeignKey(
        "catalog.Paper", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )  # the unique (paper, model) index serves lookups
    model = models.CharField(max_length=64)
    day = models.DateField(help_text="The paper's listing day (else featured day, else submission day): newest first.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["paper", "model"], name="embeddingtask_unique_paper_model")]
        indexes = [models.Index(fields=["model", "-day", "-paper"], name="embeddingtask_claim_order")]


class TermStatistic(models.Model):
    """How many papers hold each stem of the keyword index (on SQLite, each stem in at least
    150 papers), as of the last refresh (term_statistics.py). Keyword ranking needs a word's
    document frequency for its idf; counting it took 25–120 ms for a common word at 75k papers
    with PostgreSQL's GIN scan, 2–5 ms with FTS5's postings."""

    lexeme = models.TextField(primary_key=True)
    papers = models.IntegerField()
