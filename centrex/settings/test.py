"""Settings for the test suite: a throw-away var folder, a file database, no auto-apply.

The database is a file (not SQLite's in-memory default) so that the command-line
subprocesses the tests start see the same data as the tests themselves.
"""

import atexit
import os
import shutil
import tempfile

if "CENTREX_VAR_DIR" not in os.environ:
    # Made by this process (the test run; the commands it starts inherit the variable):
    # removed when it exits, so that test runs do not pile folders up in /tmp.
    _made = tempfile.mkdtemp(prefix="centrex-test-")
    os.environ["CENTREX_VAR_DIR"] = _made
    atexit.register(shutil.rmtree, _made, ignore_errors=True)
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
