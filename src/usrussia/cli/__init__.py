"""The ``usrussia`` command line: every step from raw data to reports; the only part that
knows there is a command line.

``base`` holds the application, the root error handling (one ``error:`` line and exit 2
for a user mistake) and the helpers the commands share; each other module registers the
commands of one stage: ``corpus`` (build, import, manifest), ``fetch`` (news APIs, event
files, full texts), ``sentiment``, ``study`` (init, check), ``report``, ``validate``.
"""

from usrussia.cli import corpus, fetch, report, sentiment, study, validate  # noqa: F401  (registers)
from usrussia.cli.base import app

__all__ = ["app"]
