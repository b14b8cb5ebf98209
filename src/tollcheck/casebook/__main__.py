"""`python -m tollcheck.casebook add ...`: the casebook commands on their own, until cli.py registers them."""

import typer

from tollcheck.cli_casebook import register

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
register(app)

if __name__ == "__main__":
    app()
