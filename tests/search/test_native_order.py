"""onnxruntime must load before usearch (see dailypapers/search/native.py for the cause)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The way the app runs: Django start-up, then the modules the index command and the search
# page use, then both libraries actually working in one process.
APP_WAY = """
import django, numpy as np
django.setup()
from dailypapers.search.native import usearch_index
from dailypapers.search.embedder import get_embedder
index = usearch_index.Index(ndim=384, metric="ip", dtype="f32")
vectors = get_embedder().embed(["graph neural networks", "protein folding"])
index.add(np.arange(2, dtype=np.uint64), vectors)
print(int(index.search(vectors[0], 1).keys[0]))
"""

# A module that imported usearch itself could run before the app's ready(), so no module
# of the project may: the last test checks.


def run_python(code: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_app_loads_both_libraries_and_uses_them():
    result = run_python(APP_WAY)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "0"


def test_django_startup_loads_onnxruntime_before_usearch():
    result = run_python(
        "import django, sys; django.setup(); mods = list(sys.modules); "
        "print(mods.index('onnxruntime') < mods.index('usearch'))"
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "True"


def test_no_module_imports_usearch_or_onnxruntime_itself():
    offenders = []
    for path in (ROOT / "dailypapers").rglob("*.py"):
        if path.name == "native.py" and path.parent.name == "search":
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(name.split(".")[0] in {"usearch", "onnxruntime"} for name in names):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == [], "import these through dailypapers.search.native: " + ", ".join(offenders)
