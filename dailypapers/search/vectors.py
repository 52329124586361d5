"""The vector index: HNSW (usearch) over the stored paper embeddings, in a file under
$DAILYPAPERS_HOME/search/.

Derived, never the truth: `catch_up` compares the index's keys (PaperEmbedding ids) with the
database and adds what is new, removes what is gone, then saves atomically. A missing,
corrupt or foreign file is rebuilt from the database. Each process keeps one index in
memory and catches up when the embeddings table changes (checked at most every few
seconds), so semantic results fill in while `dailypapers index` runs. Below
EXACT_SEARCH_BELOW vectors the search is exact (brute force), which on a few thousand
vectors costs well under a millisecond and has perfect recall.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from pathlib import Path

import numpy as np
import psycopg
from django.conf import settings
from django.db import connection

from dailypapers.catalog.models import Paper
from dailypapers.search.embedder import DIMENSIONS, MODEL_NAME
from dailypapers.search.native import usearch_index

log = logging.getLogger("dailypapers.search")

# Below this many vectors, search them exactly: brute force over 20,000 x 384 floats beats
# HNSW's recall and still answers in under 5 ms.
EXACT_SEARCH_BELOW = 20_000
CHECK_EVERY_SECONDS = 5.0
ADD_CHUNK = 2000
# int8 vectors (the unit vectors scaled by 127) with a wider search beam. On the 74,728-paper
# corpus, against f32 with expansion 64: recall@60 against exact search 0.857 instead of
# 0.790, a first-time search 0.50 ms instead of 0.79 ms, 85 instead of 152 MB in memory. A
# query's neighbours are found in memory a keyword query has just pushed out of the CPU
# caches, so a quarter of the bytes per vector is what counts in hybrid search.
INDEX_DTYPE = "i8"
EXPANSION_SEARCH = 128


def _vector_rows(column: str, ids: list[int] | None, model: str, *, visible_only: bool = False):
    """Yield (paperembedding id, paper id, float32 vector) of `model`'s stored embeddings: all of
    them, or those whose `column` ("pe.id" or "pe.paper_id") is one of `ids`, 900 ids a query;
    with `visible_only`, not those of hidden papers (found in the index of hidden papers alone:
    a query apiece for the vectors and the papers' rows cost 5.4-5.9 ms for 101 meaning hits on
    PostgreSQL at 75k papers, this one 2.8-3.0).
    PostgreSQL sends the vectors in its binary format through a cursor binding on the server
    (Django's binds in the client and reads a vector as hex text): 101 in 2.6 instead of 3.8 ms."""
    sql = (
        "SELECT pe.id, pe.paper_id, e.vector FROM search_paperembedding pe "
        "JOIN search_embedding e ON e.model = pe.model AND e.text_hash = pe.text_hash "
        "WHERE pe.model = %s"
    )
    params: list = [model]
    if visible_only:
        hidden_sql, hidden_params = Paper.objects.hidden().values("id").query.sql_with_params()
        sql += f" AND pe.paper_id NOT IN ({hidden_sql})"
        params += list(hidden_params)
    chunks = [ids[i : i + 900] for i in range(0, len(ids), 900)] if ids is not None else [None]
    for chunk in chunks:
        if connection.vendor == "postgresql":
            connection.ensure_connection()
            with psycopg.Cursor(connection.connection) as cursor:
                if chunk is None:
                    cursor.execute(sql, params, binary=True)
                else:
                    cursor.execute(f"{sql} AND {column} = ANY(%s)", [*params, chunk], binary=True)
                rows = cursor.fetchall()
        else:
            with connection.cursor() as cursor:
                if chunk is None:
                    cursor.execute(sql, params)
                else:
                    cursor.execute(f"{sql} AND {column} IN ({', '.join(['%s'] * len(chunk))})", [*params, *chunk])
                rows = cursor.fetchall()
        for pe_id, paper_id, blob in rows:
            yield pe_id, paper_id, np.frombuffer(bytes(blob), dtype="<f4")


def stored_vectors(embedding_ids: list[int] | None = None, *, model: str = MODEL_NAME):
    """Yield (paperembedding id, paper id, float32 vector) from the database in chunks."""
    return _vector_rows("pe.id", list(embedding_ids) if embedding_ids is not None else None, model)


def vectors_of_papers(paper_ids, *, model: str = MODEL_NAME, visible_only: bool = False) -> dict[int, np.ndarray]:
    """The stored embeddings of these papers' current texts (papers not yet embedded are absent;
    with `visible_only`, hidden papers too)."""
    rows = _vector_rows("pe.paper_id", [int(i) for i in paper_ids], model, visible_only=visible_only)
    return {paper_id: vector for _, paper_id, vector in rows}


class VectorIndex:
    def __init__(self, path: Path, *, model: str = MODEL_NAME):
        self.path = path
        self.meta_path = path.with_suffix(".json")
        self.model = model
        self.lock = threading.RLock()
        self.index = self._new_index()
        self.paper_of: dict[int, int] = {}  # index key (PaperEmbedding id) -> paper id
        self.key_of_paper: dict[int, int] = {}
        self.seen_state: tuple | None = None
        self.checked_at = 0.0

    def _new_index(self):
        return usearch_index.Index(
            ndim=DIMENSIONS,
            metric="ip",
            dtype=INDEX_DTYPE,
            connectivity=16,
            expansion_add=128,
            expansion_search=EXPANSION_SEARCH,
        )

    def __len__(self) -> int:
        return len(self.index)

    # --- keeping in step with the database ------------------------------------------------
    def _database_state(self) -> tuple:
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*), MAX(id) FROM search_paperembedding WHERE model = %s", [self.model])
            count, max_id = cursor.fetchone()
        return (connection.vendor, str(connection.settings_dict.get("NAME")), count, max_id)

    def _load_file(self) -> None:
        if not self.path.exists() or not self.meta_path.exists():
            return
        try:
            meta = json.loads(self.meta_path.read_text())
            if meta.get("model") != self.model or meta.get("database") != self._database_identity():
                return  # another database's or model's index: keys would mean other papers
            if meta.get("dtype") != INDEX_DTYPE:
                return  # written with another vector type (before i8): rebuilt from the database
            index = self._new_index()
            index.load(str(self.path))
            self.index = index
            self.paper_of = {int(k): int(v) for k, v in meta["paper_of"].items()}
            self.key_of_paper = {v: k for k, v in self.paper_of.items()}
        except Exception as exc:  # corrupt or partial file: rebuild from the database
            log.warning("vector index %s unreadable (%s); rebuilding from the database", self.path, exc)
            self.index, self.paper_of, self.key_of_paper = self._new_index(), {}, {}

    def _database_identity(self) -> str:
        return f"{connection.vendor}:{connection.settings_dict.get('NAME')}"

    def catch_up(self, *, save: bool = True) -> dict:
        """Bring the in-memory index (and its file) in step with the stored embeddings."""
        with self.lock:
            if not self.paper_of and len(self.index) == 0:
                self._load_file()
            gone, new = self._changes()
            for key in gone:
                self.index.remove(key)
                self.key_of_paper.pop(self.paper_of.pop(key), None)
            for start in range(0, len(new), ADD_CHUNK):
                rows = list(stored_vectors(new[start : start + ADD_CHUNK], model=self.model))
                if rows:
                    keys = np.array([r[0] for r in rows], dtype=np.uint64)
                    self.index.add(keys, np.vstack([r[2] for r in rows]))
                    for pe_id, paper_id, _ in rows:
                        self.paper_of[pe_id] = paper_id
                        self.key_of_paper[paper_id] = pe_id
            self.seen_state = self._database_state()
            self.checked_at = time.monotonic()
            if save and (gone or new or not self.path.exists()):
                self.save()
            return {"added": len(new), "removed": len(gone), "size": len(self.index)}

    def _changes(self) -> tuple[list[int], list[int]]:
        """(keys gone, keys new) against the database. Keys only grow while indexing runs, so the
        rows above the largest key we hold are read first; only when the count then disagrees
        (a paper deleted or re-embedded) is every key compared. At a million papers the full
        comparison reads a million rows (about a second on SQLite), every few seconds in every
        web process while indexing runs; the new rows alone are a few hundred."""
        known_max = max(self.paper_of, default=0)
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM search_paperembedding WHERE model = %s", [self.model])
            (count,) = cursor.fetchone()
            cursor.execute("SELECT id FROM search_paperembedding WHERE model = %s AND id > %s", [self.model, known_max])
            above = [row[0] for row in cursor.fetchall()]
            if len(self.paper_of) + len(above) == count:
                return [], above
            cursor.execute("SELECT id FROM search_paperembedding WHERE model = %s", [self.model])
            current = {row[0] for row in cursor.fetchall()}
        gone = [key for key in self.paper_of if key not in current]
        return gone, [key for key in current if key not in self.paper_of]

    def maybe_catch_up(self) -> None:
        """Cheap when nothing changed: one COUNT/MAX query every CHECK_EVERY_SECONDS."""
        if time.monotonic() - self.checked_at < CHECK_EVERY_SECONDS and self.seen_state is not None:
            return
        state = self._database_state()
        if state != self.seen_state:
            self.catch_up(save=False)
        self.checked_at = time.monotonic()

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + f".{os.getpid()}.tmp")
        tmp_meta = self.meta_path.with_name(self.meta_path.name + f".{os.getpid()}.tmp")
        self.index.save(str(tmp))
        tmp_meta.write_text(
            json.dumps(
                {
                    "model": self.model,
                    "database": self._database_identity(),
                    "dtype": INDEX_DTYPE,
                    "paper_of": {str(k): v for k, v in self.paper_of.items()},
                }
            )
        )
        os.replace(tmp, self.path)
        os.replace(tmp_meta, self.meta_path)

    # --- searching --------------------------------------------------------------------------
    def search(self, vector: np.ndarray, *, limit: int) -> list[tuple[int, float]]:
        """(paper id, the index's closeness) best first. With int8 vectors the closeness is a dot
        product of the vectors scaled to int8 (a paper's to itself comes out near 14,000), not a
        cosine: callers that show or threshold a similarity re-score the hits from the stored
        float vectors (service._exact_similarities)."""
        with self.lock:
            size = len(self.index)
            if size == 0 or limit <= 0:
                return []
            exact = size < EXACT_SEARCH_BELOW
            matches = self.index.search(vector.astype(np.float32), min(limit, size), exact=exact)
            return [
                (self.paper_of[int(k)], 1.0 - float(d))
                for k, d in zip(matches.keys, matches.distances, strict=False)
                if int(k) in self.paper_of
            ]


_lock = threading.Lock()
_indexes: dict[str, VectorIndex] = {}


def get_vector_index(*, caught_up: bool = True) -> VectorIndex:
    """This process's index for the current model and database, caught up unless told not to
    (a caller that catches up itself, to report what changed)."""
    path = Path(settings.SEARCH_INDEX_DIR) / f"{MODEL_NAME}.usearch"
    key = f"{path}|{connection.vendor}|{connection.settings_dict.get('NAME')}"
    with _lock:
        index = _indexes.get(key)
        if index is None:
            index = _indexes[key] = VectorIndex(path)
    if caught_up:
        index.maybe_catch_up()
    return index


def reset_vector_indexes() -> None:
    """Forget in-memory indexes (tests start each with a fresh database)."""
    with _lock:
        _indexes.clear()
