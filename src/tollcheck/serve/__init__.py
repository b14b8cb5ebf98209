"""`tollcheck serve`: the casebook as a web app for a team of analysts (Starlette, served by uvicorn).

- `app`: `create_app(casebook)`, the ASGI app: security headers, signed sessions, the login gate;
- `auth`: users (scrypt passwords), CSRF tokens, safe redirects;
- `forms`: rendering a page, and reading a POST only with its CSRF token;
- `pages`: the events list (and its CSV/JSONL), one event, one report (GET) and the login;
- `actions`: the review actions (POST): the same audited corrections as `tollcheck review`;
- `events`, `reports`: what those pages read from the casebook;
- the load check on loopback is `tollcheck.bench.serve` (`tollcheck bench --serve`).
"""

from tollcheck.serve.app import create_app

__all__ = ["create_app"]
