"""The one place that loads the native libraries of search: onnxruntime, then usearch.

With usearch 2.26.6 and onnxruntime 1.32.0 in one process, importing usearch first made the
first `Index.add` die with a segmentation fault; importing onnxruntime first works. Both
ship their own OpenMP-style thread runtime and symbol tables, and whichever loads first
wins the shared symbols. Every module of this app takes `ort` and `usearch_index` from here,
never imports them itself, so the safe order holds by construction
(tests/search/test_native_order.py runs a fresh process the way the app does).
"""

from __future__ import annotations

import onnxruntime as ort  # noqa: I001  -- must come before usearch, see above
from usearch import index as usearch_index

__all__ = ["ort", "usearch_index"]
