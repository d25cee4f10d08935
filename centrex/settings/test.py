"""Settings for the test suite: a throw-away var folder, a file database, no auto-apply.

The database is a file (not SQLite's in-memory default) so that the command-line
subprocesses the tests start see the same data as the tests themselves.
"""

import os
import tempfile

os.environ.setdefault("CENTREX_VAR_DIR", tempfile.mkdtemp(prefix="centrex-test-"))
os.environ.setdefault("CENTREX_AUTO_APPLY", "0")

from centrex.settings.base import *

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["NAME"] = str(VAR_DIR / "test.sqlite3")
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
else:
    # The command-line subprocesses some tests start must see the test database.
    DATABASES["default"]["TEST"] = {"NAME": DATABASES["default"]["NAME"]}

# Argon2 is the production hasher; tests create many users and do not measure hashing.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
