"""Settings of the test run: the real settings, with a development key (the workbench
refuses to start without one when DEBUG is off) and permission for the test runner to
empty the append-only audit log between transactional tests."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-insecure-key-not-for-any-server")

from workbench.settings import *  # noqa: E402, F403
from workbench.settings import DATABASES  # noqa: E402

# Django empties the tables with TRUNCATE after each transactional test; the audit
# log's trigger allows that only to a session that says so (see audit migration 0001).
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c workbench.audit_truncate=allowed"
