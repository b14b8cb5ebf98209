"""The web commands: `tollcheck serve CASEBOOK` and `tollcheck users add|list|remove NAME --db CASEBOOK`.

`register(app)` adds them to the `tollcheck` Typer app.
"""

from __future__ import annotations

import getpass
import ipaddress
import os
import sys
from typing import Annotated

import typer

from tollcheck.cli.casebook import DEFAULT_DB, Db, _casebook
from tollcheck.cli.options import _err

users = typer.Typer(help="The people who may log in to `tollcheck serve` (kept in the casebook, scrypt-hashed).")


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    casebook: Annotated[str, typer.Argument(help="The casebook file (made by `tollcheck add`).")],
    host: Annotated[str, typer.Option(help="The address to listen on (loopback unless told otherwise).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="The port.")] = 8000,
    read_only: Annotated[bool, typer.Option("--read-only", help="Pages only: no review actions.")] = False,
) -> None:
    """Serve the casebook as a web app: events, reports and review, behind a login.

    Sessions are signed with $TOLLCHECK_SECRET when set, else with a key made at start (a restart logs everybody out).

    Behind a TLS proxy, set TOLLCHECK_HTTPS=1 for Secure cookies.
    """
    import uvicorn

    from tollcheck.serve import create_app
    from tollcheck.serve.auth import user_names

    if not os.path.exists(casebook):
        _err(f"error: {casebook}: no such casebook (make one with `tollcheck add PATH --db {casebook}`)")
        raise typer.Exit(2)
    with _casebook(casebook) as conn:
        n_users = len(user_names(conn))
    if n_users == 0:
        _err(f"error: {casebook}: nobody can log in yet; add someone with `tollcheck users add NAME --db {casebook}`")
        raise typer.Exit(2)
    hosts = None
    if _loopback(host):  # only this machine's names: a web page cannot rebind its own name onto the server
        hosts = sorted({"127.0.0.1", "localhost", "[::1]", "::1", host})
    else:
        _err(f"warning: listening on {host}, beyond this machine: put it behind TLS (cookies and passwords travel)")
    https = os.environ.get("TOLLCHECK_HTTPS") == "1"
    app = create_app(casebook, read_only=read_only, https_only=https, hosts=hosts)
    _err(f"tollcheck serve: http://{host}:{port}/ ({'read-only' if read_only else 'review'}; Ctrl-C stops)")
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=False, server_header=False)


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("password: ")
        if getpass.getpass("again: ") != first:
            _err("error: the two passwords differ")
            raise typer.Exit(2)
        return first
    return sys.stdin.readline().rstrip("\r\n")


@users.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="The login name; corrections record it as `by`.")],
    db: Db = DEFAULT_DB,
    replace: Annotated[bool, typer.Option("--replace", help="Set a new password for an existing user.")] = False,
) -> None:
    """Add a user; the password is read from standard input (asked twice on a terminal)."""
    from tollcheck.serve.auth import UserError, add_user

    password = _read_password()
    with _casebook(db, must_exist=False) as conn:
        try:
            add_user(conn, name, password, replace=replace)
        except UserError as e:
            _err(f"error: {e}")
            raise typer.Exit(2) from None
    _err(f"{db}: user {name.strip()} {'updated' if replace else 'added'}")


@users.command("list")
def users_list(db: Db = DEFAULT_DB) -> None:
    """Print the users' names, one a line."""
    from tollcheck.serve.auth import user_names

    with _casebook(db) as conn:
        for name in user_names(conn):
            sys.stdout.write(name + "\n")


@users.command("remove")
def users_remove(name: str, db: Db = DEFAULT_DB) -> None:
    """Remove a user: their sessions end within seconds; their corrections stay."""
    from tollcheck.serve.auth import remove_user

    with _casebook(db) as conn:
        if not remove_user(conn, name):
            _err(f"error: no user {name!r} in {db}")
            raise typer.Exit(2)
    _err(f"{db}: user {name} removed")


def register(app: typer.Typer) -> None:
    """Add `serve` and the `users` sub-app to the `tollcheck` app."""
    app.command()(serve)
    app.add_typer(users, name="users")
