"""``python -m usrussia.cli``: the same as the ``usrussia`` command."""

from usrussia.cli import app

app()
