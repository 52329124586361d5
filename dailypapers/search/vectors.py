"""The vector index: HNSW (usearch) over the stored paper embeddings, in a file under
$DAILYPAPERS_HOME/search/.

Derived, never the truth: `catch_up` compares the index's keys (PaperEmbedding ids) with the
database and adds what is new, removes what is gone, then saves atomically. A missing,
corrupt or foreign file is rebuilt from the database (in a web process, a few chunks per
search: CATCH_UP_SECONDS). Each process keeps one index in
memory and catches up when the embeddings table changes (new keys checked at most every few
seconds, deleted ones every few minutes), so semantic results fill in while `dailypapers index`
runs. Below
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

from dailypapers.search.embedder import DIMENSIONS, MODEL_NAME
from dailypapers.search.native import usearch_index

log = logging.getLogger("dailypapers.search")

# Below this many vectors, search them exactly: brute force over 20,000 x 384 floats beats
# HNSW's recall and still answers in under 5 ms.
EXACT_SEARCH_BELOW = 20_000
# A search checks at most every CHECK_EVERY_SECONDS whether embeddings were added: the newest key,
# one row read backwards from the end of the table. Counting them, which also notices a paper
# deleted or its text changed (the link deleted, not yet re-embedded), happens every
# RECOUNT_SECONDS: COUNT(*) and MAX(id) read every row of the model, 19 ms at 75k papers on
# SQLite and about 13 times that at a million, paid by one search every 5 s in every web process.
CHECK_EVERY_SECONDS = 5.0
RECOUNT_SECONDS = 300.0
ADD_CHUNK = 2000
# A search catches its process's index up for at most about this long (whole chunks of ADD_CHUNK
# vectors, about a second each) and answers from what it holds; the next search goes on. A
# process that found no usable file (a fresh host, an index file of an older release) rebuilt
# the whole index inside one request: about 2,100 vectors a second, so past about 125,000 papers
# longer than gunicorn's 60 s timeout, which killed the worker, whose successor started again.
CATCH_UP_SECONDS = 2.0
# Half-precision vectors, searched with a wide beam. The hits' similarities come from the vectors
# the index holds (search()), so they must be close to the float vectors': at 75k papers, f16
# cosines are within 0.00004 of them, int8 ones (the unit vectors scaled by 127) 0.0024 on
# average and 0.012 at worst, which reordered the first ten meaning hits of 166 of 200 queries
# and cost hybrid nDCG@10 0.001-0.003 on both benchmarks. f16 also finds more of the true
# neighbours (recall@60 against exact search 0.981, int8 0.941) for 0.5 ms more a search
# (1.6 against 1.1 ms with the vectors read back) and twice the vectors' memory (768 instead
# of 384 MB at a million papers). Reading float vectors from the database instead cost 3.8 ms
# a search on PostgreSQL (p95 7.1).
INDEX_DTYPE = "f16"
EXPANSION_SEARCH = 128


def _vector_rows(column: str, ids: list[int] | None, model: str):
    """Yield (paperembedding id, paper id, float32 vector) of `model`'s stored embeddings: all of
    them, or those whose `column` ("pe.id" or "pe.paper_id") is one of `ids`, 900 ids a query.
    PostgreSQL sends the vectors in its binary format through a cursor binding on the server
    (Django's binds in the client and reads a vector as hex text): 101 in 2.6 instead of 3.8 ms."""
    sql = (
        "SELECT pe.id, pe.paper_id, e.vector FROM search_paperembedding pe "
        "JOIN search_embedding e ON e.model = pe.model AND e.text_hash = pe.text_hash "
        "WHERE pe.model = %s"
    )
    params: list = [model]
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


def vectors_of_papers(paper_ids, *, model: str = MODEL_NAME) -> dict[int, np.ndarray]:
    """The stored embeddings of these papers' current texts (papers not yet embedded are absent)."""
    rows = _vector_rows("pe.paper_id", [int(i) for i in paper_ids], model)
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
        self.counted_at = 0.0

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
        self.counted_at = time.monotonic()
        return (connection.vendor, str(connection.settings_dict.get("NAME")), count, max_id)

    def _newest_key(self) -> int | None:
        """The newest embedding's id, read backwards along the primary key (the newest rows are the
        current model's), not by a scan of the model's rows."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM search_paperembedding WHERE model = %s ORDER BY id DESC LIMIT 1", [self.model]
            )
            row = cursor.fetchone()
        return row[0] if row else None

    def _load_file(self) -> None:
        if not self.path.exists() or not self.meta_path.exists():
            return
        try:
            meta = json.loads(self.meta_path.read_text())
            if meta.get("model") != self.model or meta.get("database") != self._database_identity():
                return  # another database's or model's index: keys would mean other papers
            if meta.get("dtype") != INDEX_DTYPE:
                return  # written with another vector type (int8 before 3 Dec 2026): rebuilt from the database
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

    def catch_up(self, *, save: bool = True, seconds: float | None = None) -> dict:
        """Bring the in-memory index (and its file) in step with the stored embeddings; with
        `seconds`, add chunks of vectors for about that long and leave the rest `pending` (added
        oldest key first, so the next call goes on where this one stopped). The file is saved
        once the index is complete."""
        with self.lock:
            if not self.paper_of and len(self.index) == 0:
                self._load_file()
            gone, new = self._changes()
            for key in gone:
                self.index.remove(key)
                self.key_of_paper.pop(self.paper_of.pop(key), None)
            new.sort()
            started, done = time.monotonic(), 0
            while done < len(new) and (seconds is None or not done or time.monotonic() - started < seconds):
                rows = list(stored_vectors(new[done : done + ADD_CHUNK], model=self.model))
                done += ADD_CHUNK
                if rows:
                    keys = np.array([r[0] for r in rows], dtype=np.uint64)
                    self.index.add(keys, np.vstack([r[2] for r in rows]))
                    for pe_id, paper_id, _ in rows:
                        self.paper_of[pe_id] = paper_id
                        self.key_of_paper[paper_id] = pe_id
            pending = max(0, len(new) - done)
            # Incomplete: no state seen, so the next check goes on at once.
            self.seen_state = None if pending else self._database_state()
            self.checked_at = time.monotonic()
            if save and not pending and (gone or new or not self.path.exists()):
                self.save()
            return {"added": len(new) - pending, "removed": len(gone), "size": len(self.index), "pending": pending}

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
        """Cheap when nothing changed: the newest key read every CHECK_EVERY_SECONDS, the keys
        counted every RECOUNT_SECONDS. Catches up for at most about CATCH_UP_SECONDS (a search
        is waiting)."""
        now = time.monotonic()
        if self.seen_state is not None:
            if now - self.checked_at < CHECK_EVERY_SECONDS:
                return
            if now - self.counted_at < RECOUNT_SECONDS and self._newest_key() == self.seen_state[-1]:
                self.checked_at = now
                return
        state = self._database_state()
        if state != self.seen_state:
            self.catch_up(save=False, seconds=CATCH_UP_SECONDS)
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
        """(paper id, cosine similarity to `vector`) of the nearest papers, best first.

        The graph search's distances are approximate (HNSW, half precision), so the hits are
        re-scored here from the vectors the index holds, taken back to unit length: within
        0.00004 of the float vectors' cosines (see INDEX_DTYPE)."""
        with self.lock:
            size = len(self.index)
            if size == 0 or limit <= 0:
                return []
            exact = size < EXACT_SEARCH_BELOW
            query = vector.astype(np.float32)
            matches = self.index.search(query, min(limit, size), exact=exact)
            keys = [key for key in (int(k) for k in matches.keys) if key in self.paper_of]
            if not keys:
                return []
            papers = [self.paper_of[key] for key in keys]  # under the lock: catch_up removes keys
            cosines = self._unit_vectors(keys) @ query
        return sorted(zip(papers, cosines.tolist(), strict=True), key=lambda hit: (-hit[1], hit[0]))

    def similarities(self, vector: np.ndarray, paper_ids) -> dict[int, float]:
        """paper id → cosine similarity to `vector`, as search() scores it, for those of the papers
        the index holds."""
        with self.lock:
            found = [(pid, self.key_of_paper[pid]) for pid in paper_ids if pid in self.key_of_paper]
            if not found:
                return {}
            cosines = self._unit_vectors([key for _, key in found]) @ vector.astype(np.float32)
        return {pid: cosine for (pid, _), cosine in zip(found, cosines.tolist(), strict=True)}

    def _unit_vectors(self, keys: list[int]) -> np.ndarray:
        """The held vectors of these keys as float32 rows of unit length (rounding to half
        precision moves their length a little)."""
        stored = self.index.get(np.array(keys, dtype=np.uint64), dtype=np.float32)
        rows = np.vstack(stored) if isinstance(stored, tuple) else np.atleast_2d(stored)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


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
