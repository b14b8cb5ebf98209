"""`python -m tollcheck.cli ...`: the `tollcheck` command."""

from tollcheck.cli import app

app()
