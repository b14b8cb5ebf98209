"""Provenance: every claim names the rule that read it, the Doc stays serialisable, and
`tollcheck extract --explain` shows each candidate figure with why it was kept or culled.

Every text here is invented.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from spacy.tokens import Doc, DocBin
from typer.testing import CliRunner

from tollcheck.clean import clean
from tollcheck.cli import app
from tollcheck.extract.components import make_doc
from tollcheck.extract.pipeline import claims_of, extract_text, make_nlp
from tollcheck.model import Report

TEXT = (
    "At least 13 people were killed and 20 wounded in Tirvane on Monday, including 5 children, police said. "
    "Ilse Varga, 34, was shot and killed near her shop. A man was shot on Larch Street and died."
)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Gunmen killed 14 villagers in Orrin.", "figure after the verb"),
        ("At least 13 people were killed in Orrin.", "figure before the verb"),
        ("Police are investigating a fatal shooting in Orrin.", "one victim: a single deadly event"),
        ("A man was shot on Larch Street and died.", "one victim: subject of 'was' before 'and'"),
        ("Gunmen killed journalist Mara Quell in Orrin.", "name after the verb"),
        ("Boy shot outside school dies", "headline: bare subject"),
    ],
)
def test_claims_name_their_rule(text: str, rule: str) -> None:
    claims = [c for c in extract_text(text) if c.counted]
    assert [c.rule for c in claims] == [rule]
    assert claims[0].to_dict()["rule"] == rule


def test_doc_is_serialisable_and_reads_the_same_after_a_round_trip() -> None:
    nlp = make_nlp()
    cr = clean(Report(id="r", text=TEXT, published="2024-05-08"))
    doc = nlp(make_doc(nlp, cr.text))
    again = Doc(nlp.vocab).from_bytes(doc.to_bytes())
    assert [c.to_dict() for c in claims_of(again, cr)] == [c.to_dict() for c in claims_of(doc, cr)]
    bin_ = DocBin(store_user_data=True)
    bin_.add(doc)
    (back,) = DocBin(store_user_data=True).from_bytes(bin_.to_bytes()).get_docs(nlp.vocab)
    assert len(claims_of(back, cr)) == len(claims_of(doc, cr)) > 0


def test_explain_shows_kept_and_culled_figures(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text(TEXT + " In 1756, 123 prisoners died in the fort.", encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(path), "--explain", "--quiet"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "kept 13.. 'At least 13 people' [figure before the verb]" in out
    assert "part 5 '5 children'" in out
    assert "culled '34': age" in out
    assert "culled '1756': year" in out
    assert "total killed: best" in out


def test_explain_keeps_jsonl_on_standard_output_clean(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(path), "--explain", "--format", "jsonl", "--quiet"])
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert lines and all("type" in d for d in lines)
    assert "kept 13.. 'At least 13 people' [figure before the verb]" in result.stderr


def test_jsonl_claims_carry_their_rule_and_the_casebook_keeps_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from tollcheck.casebook import add, open_casebook
    from tollcheck.casebook.read import comparison_from_conn, export_rows

    path = tmp_path / "r.txt"
    path.write_text("Gunmen killed 9 farmers near Orvel on Monday, police said.\n", encoding="utf-8")
    out = CliRunner().invoke(app, ["extract", str(path), "-f", "jsonl", "--quiet"])
    rows = [json.loads(x) for x in out.stdout.splitlines()]
    rules = [r["rule"] for r in rows if r["type"] == "claim"]
    assert rules and all(rules)
    conn = open_casebook(tmp_path / "case.db")
    add(conn, [str(path)], by="t")
    stored = [r["rule"] for r in export_rows(comparison_from_conn(conn)) if r["type"] == "claim"]
    assert stored == rules
