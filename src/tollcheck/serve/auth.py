"""People and their passwords, sessions and CSRF tokens for `tollcheck serve`.

Passwords are hashed with scrypt (memory-hard, from the standard library): `scrypt$N$r$p$salt$hash`,
salt and hash in hex, compared in constant time. Users live in the casebook's `users` table (schema
migration 3), so the name recorded as `by` in a correction is the name someone logged in with.

Sessions are Starlette's signed cookies (itsdangerous; HttpOnly, SameSite=Lax): they hold the user's
name and a CSRF token. Every POST carries that token in a hidden `csrf` field; a POST without the
session's token is refused with 403 before anything is read or written.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
import threading
import time
from typing import Any

from tollcheck.casebook.schema import now

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1  # 16 MB of memory per hash
MIN_PASSWORD = 8
MAX_FAILURES, LOCKOUT_S = 5, 300  # this many failed logins for one name within LOCKOUT_S: refused for LOCKOUT_S
NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._@-")


class UserError(ValueError):
    """A user that cannot be added (bad name, short password, already there)."""


def hash_password(password: str, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=128 * n * r * 2, dklen=32)
    return f"scrypt${n}${r}${p}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        ni, ri, pi = int(n), int(r), int(p)
        got = hashlib.scrypt(
            password.encode("utf-8"), salt=bytes.fromhex(salt), n=ni, r=ri, p=pi, maxmem=128 * ni * ri * 2, dklen=32
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got.hex(), digest)


def _dummy_hash() -> str:
    return hash_password(secrets.token_hex(8))


_DUMMY: list[str] = []


def check_login(conn: sqlite3.Connection, name: str, password: str) -> bool:
    """True when the user exists and the password is theirs (an unknown name costs the same time)."""
    row = conn.execute("SELECT password FROM users WHERE name = ?", (name,)).fetchone()
    if row is None:
        if not _DUMMY:
            _DUMMY.append(_dummy_hash())
        verify_password(password, _DUMMY[0])
        return False
    return verify_password(password, row[0])


class Throttle:
    """Failed logins per name, in memory: after MAX_FAILURES within LOCKOUT_S, that name is refused for
    LOCKOUT_S seconds (scrypt already makes each guess cost; this bounds a guesser further)."""

    def __init__(self) -> None:
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, name: str, now: float) -> list[float]:
        kept = [t for t in self._failures.get(name.lower(), []) if now - t < LOCKOUT_S]
        self._failures[name.lower()] = kept
        return kept

    def blocked(self, name: str) -> bool:
        with self._lock:
            return len(self._recent(name, time.monotonic())) >= MAX_FAILURES

    def failed(self, name: str) -> None:
        with self._lock:
            now = time.monotonic()
            self._recent(name, now).append(now)
            if len(self._failures) > 10_000:  # names nobody has: forget the oldest
                self._failures.pop(next(iter(self._failures)))

    def passed(self, name: str) -> None:
        with self._lock:
            self._failures.pop(name.lower(), None)


def check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 64 or not set(name) <= NAME_CHARS:
        raise UserError(f"bad user name {name!r}: use 1 to 64 letters, digits and . _ @ -")
    return name


def add_user(conn: sqlite3.Connection, name: str, password: str, replace: bool = False) -> None:
    name = check_name(name)
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password must have {MIN_PASSWORD} characters or more")
    exists = conn.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone() is not None
    if exists and not replace:
        raise UserError(f"user {name!r} exists (give --replace to set a new password)")
    conn.execute("INSERT OR REPLACE INTO users VALUES (?, ?, ?)", (name, hash_password(password), now()))


def remove_user(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("DELETE FROM users WHERE name = ?", (name,)).rowcount > 0


def user_names(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT name FROM users ORDER BY name")]


def user_exists(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone() is not None


def csrf_token(session: dict[str, Any]) -> str:
    """The session's CSRF token, made on first use."""
    token = session.get("csrf")
    if not isinstance(token, str) or len(token) < 32:
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


def csrf_ok(session: dict[str, Any], sent: object) -> bool:
    token = session.get("csrf")
    return isinstance(token, str) and isinstance(sent, str) and bool(sent) and hmac.compare_digest(token, sent)


def local_path(target: object, default: str = "/") -> str:
    """`target` when it is a path on this site ("/events?q=x"), else `default`: no open redirects."""
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    if any(ord(ch) < 32 for ch in target):
        return default
    return target
