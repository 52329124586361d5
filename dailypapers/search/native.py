"""The one place that loads the native libraries of search: onnxruntime, then usearch.

With usearch 2.26.6 and onnxruntime 1.32.0 in one process, loading usearch first kills the
process with a segmentation fault (seen in onnxruntime's module initialisation, inside
libstdc++'s std::codecvt). Cause: usearch's compiled extension links libstdc++ statically and
exports 107 STB_GNU_UNIQUE symbols (locale facet ids such as std::collate<char>::id; see
`readelf --dyn-syms usearch/compiled*.so | grep UNIQUE`). The dynamic loader binds a unique
symbol process-wide to its first definition, even across RTLD_LOCAL libraries, so the system
libstdc++ that onnxruntime loads afterwards runs its locale set-up against usearch's private
copies. Loaded the other way round, usearch binds to the system's and all is well.
So every module takes `ort` and `usearch_index` from here and never imports them itself; the
app's ready() imports this module at Django start-up; tests/search/test_native_order.py checks
both in fresh processes.
"""

from __future__ import annotations

import onnxruntime as ort  # noqa: I001  -- must come before usearch, see above
from usearch import index as usearch_index

__all__ = ["ort", "usearch_index"]
