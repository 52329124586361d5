"""The sentence embedder: an int8 ONNX all-MiniLM-L6-v2 run with onnxruntime + tokenizers.

No torch, no model hub: the model and tokenizer files ship inside this package
(dailypapers/search/model/, made once by scripts/export_model.py) and load from disk. Vectors
are mean-pooled over real tokens and L2-normalised, so cosine similarity is a dot product.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from dailypapers.search.native import ort

MODEL_DIR = Path(__file__).resolve().parent / "model"
# The int8 ONNX export and its tokenizer, written by scripts/export_model.py. Read when the
# embedder first loads, so a test can point them at a missing file to see the fallback.
MODEL_PATH = MODEL_DIR / "model.onnx"
TOKENIZER_PATH = MODEL_DIR / "tokenizer.json"
# Stored with each vector: a different model (or export) means different vectors, so a
# change of this name re-embeds everything.
MODEL_NAME = "all-MiniLM-L6-v2-int8pc-256"
DIMENSIONS = 384
MAX_TOKENS = 256


class EmbedderUnavailable(RuntimeError):
    """The model could not be loaded or run; keyword search still answers."""


def paper_text(title: str, abstract: str) -> str:
    """The text we embed for a paper: title then abstract, whitespace collapsed (arXiv
    abstracts carry hard line breaks that change the hash but not the meaning)."""
    return " ".join(title.split()) + "\n" + " ".join((abstract or "").split())


def execution_providers() -> list[str]:
    """onnxruntime's CUDA provider when the machine has one (the optional `gpu` extra installs
    onnxruntime-gpu in place of onnxruntime), then the CPU, which runs whatever CUDA cannot."""
    return [name for name in ("CUDAExecutionProvider",) if name in ort.get_available_providers()] + [
        "CPUExecutionProvider"
    ]


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Embedder:
    model_path: Path
    tokenizer_path: Path
    name: str = MODEL_NAME
    threads: int = 0  # for batches; 0 = onnxruntime's default (all cores)

    def __post_init__(self) -> None:
        from tokenizers import Tokenizer

        if not self.model_path.is_file():
            raise EmbedderUnavailable(f"model file not found: {self.model_path}")
        if not self.tokenizer_path.is_file():
            raise EmbedderUnavailable(f"tokenizer file not found: {self.tokenizer_path}")
        self.tokenizer = Tokenizer.from_file(str(self.tokenizer_path))
        # Set explicitly: one published tokenizer.json truncates at 128 and pads to a fixed 128.
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        # One text (a search query) runs on one thread: 3.4 ms of wall and CPU time a query here,
        # against 3.8 ms of wall and 5.1 ms of CPU time on both cores, which the database and the
        # rest of the search were using. Batches (indexing) get `threads`, made when first needed.
        # A GPU session serves both.
        on_gpu = execution_providers()[0] != "CPUExecutionProvider"
        self.one_text_session = self.session if on_gpu else self._new_session(1)
        self.input_names = {item.name for item in self.one_text_session.get_inputs()}

    def _new_session(self, threads: int):
        options = ort.SessionOptions()
        # No busy-waiting between operators: on a shared 2-core box spinning threads burned
        # CPU others needed (19 vs 14 abstracts per CPU-second here, docs/search.md).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        if threads:
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
        try:
            return ort.InferenceSession(str(self.model_path), sess_options=options, providers=execution_providers())
        except Exception as exc:  # a truncated or wrong file: say which
            raise EmbedderUnavailable(f"cannot load {self.model_path}: {exc}") from exc

    @cached_property
    def session(self):
        """The session for batches, on `threads` threads."""
        return self._new_session(self.threads)

    def encode_tokens(self, texts: list[str]) -> dict[str, np.ndarray]:
        encodings = self.tokenizer.encode_batch(texts)
        feeds = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
        }
        return {name: value for name, value in feeds.items() if name in self.input_names}

    def run_model(self, feeds: dict[str, np.ndarray]) -> np.ndarray:
        """The bare model on prepared inputs, pooled and normalised."""
        session = self.one_text_session if len(feeds["input_ids"]) == 1 else self.session
        (hidden,) = session.run(["last_hidden_state"], feeds)
        mask = feeds["attention_mask"][:, :, None].astype(np.float32)
        pooled = (hidden * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return self.run_model(self.encode_tokens(texts))


_lock = threading.Lock()
_embedder: Embedder | None = None
_failure: str | None = None


def get_embedder() -> Embedder:
    """The process-wide embedder, loaded once; raises EmbedderUnavailable (remembered, so a
    broken install costs one attempt, not one per query)."""
    global _embedder, _failure
    if _embedder is not None:
        return _embedder
    with _lock:
        if _embedder is None:
            if _failure is not None:
                raise EmbedderUnavailable(_failure)
            from django.conf import settings

            try:
                _embedder = Embedder(MODEL_PATH, TOKENIZER_PATH, threads=settings.SEARCH_EMBED_THREADS)
            except EmbedderUnavailable as exc:
                _failure = str(exc)
                raise
    return _embedder
