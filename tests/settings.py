"""Test settings: the real settings module with a test secret and a scratch home.

DATABASE_URL decides the database: unset is SQLite, `python -m tests.pgcluster pytest`
sets it to a throw-away PostgreSQL cluster.
"""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-secret-key-that-is-long-enough-for-the-check-0123456789")
# Always a scratch home: `make` exports DAILYPAPERS_HOME=./var, where `make demo` keeps its
# settings.env (its address on port 8000), and `make demo` then `make test` read it: 17 tests
# found http://127.0.0.1:8000 in links where the test client's http://testserver belongs.
os.environ["DAILYPAPERS_HOME"] = tempfile.mkdtemp(prefix="dailypapers-test-")
os.environ.setdefault("DAILYPAPERS_ARXIV_DELAY", "0")

from dailypapers.settings import *  # noqa: E402,F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]

# Live-server tests run the site in threads; persistent connections would outlive the test
# and keep PostgreSQL from dropping the test database at the end of the run.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = False  # noqa: F405

# Confirmation mails go through the transactional outbox; here they are delivered right after
# queueing, in the test's own process (production: the worker; tests/digest covers both).
DIGEST_MAIL_INLINE = True
