"""The `tollcheck` command: one module per command group, each command a thin wrapper over the library
function of the same name (`tollcheck.api`, `tollcheck.casebook`, `tollcheck.serve`, `tollcheck.bench`).

Only Typer and these small modules are imported to build the command line: `tollcheck --help` and an
argument error answer without importing spaCy or the engine, which each command imports when it runs.
"""

from __future__ import annotations

import typer

from tollcheck.cli import bench, casebook, reports, serve

app = typer.Typer(
    help="tollcheck reads reports of violence and pulls out every casualty claim: what happened to how many "
    "of whom, who says so, where, when, and in which sentence.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for group in (reports, casebook, serve, bench):
    group.register(app)


def main() -> None:  # pragma: no cover
    app()
