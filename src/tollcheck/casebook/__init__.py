"""The casebook: one SQLite file that keeps every report, every claim and every analyst correction.

- `store`: `add` reports (a batch per transaction, skipped when already stored) and `reextract` them;
- `claims`: machine claims with the corrections folded over them when read;
- `review`: the corrections (accept, reject, edit, add-claim, merge, split, rank) and a claim's history;
- `events`: events regrouped place by place, with stable ids;
- `read`: the casebook as a `Comparison` (`comparison_from_db`) and the `extract` lines (`export_rows`);
- `schema`: the file, its tables (SCHEMA.md) and its migrations.
"""

from tollcheck.casebook.read import comparison_from_conn, comparison_from_db, export_rows
from tollcheck.casebook.schema import VERSION, open_casebook
from tollcheck.casebook.store import RunStats, add, add_results, reextract

__all__ = [
    "VERSION",
    "RunStats",
    "add",
    "add_results",
    "comparison_from_conn",
    "comparison_from_db",
    "export_rows",
    "open_casebook",
    "reextract",
]
