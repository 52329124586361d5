"""Which characters user and source text may hold, defined once for every input boundary.

- UNSTORABLE: C0 control characters other than tab and line breaks, and DEL. PostgreSQL
  refuses NUL in text (SQLite stores it, so the two databases would differ), and none of
  them belongs in a title, an abstract or a comment. Ingest, comments and submissions refuse it.
- NOT_ONE_LINE: everything that can break or hide a line in one-line values (topics, author
  names, follows, email addresses, header values): all C0 and C1 controls (U+0085 NEL is a
  C1 control that several mail and log readers treat as a line break), DEL, and Unicode's
  line and paragraph separators U+2028/U+2029.
"""

from __future__ import annotations

import re

# The character classes, also published as patterns in the API's OpenAPI schema (api/params.py).
UNSTORABLE_CLASS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
NOT_ONE_LINE_CLASS = r"\x00-\x1f\x7f-\x9f\u2028\u2029"
UNSTORABLE = re.compile(f"[{UNSTORABLE_CLASS}]")
NOT_ONE_LINE = re.compile(f"[{NOT_ONE_LINE_CLASS}]")
