"""The evaluation gate: the team's gold set (tests/gold/) must stay above pinned floors.

As in trafilatura's eval gate, a change that lowers precision or recall below these floors fails CI.
Raise the floors when the engine improves; never lower them to make a change pass.
"""

from gold_scoring import score_reports, score_sentences

# measured on the gold set when the floors were pinned (see the README's evaluation section)
MIN_RECALL = 0.94
MIN_PRECISION = 0.95
MAX_TRAPS = 0
MIN_SOURCE_ACCURACY = 0.85
MIN_REPORT_KILLED = 0.94
MIN_REPORT_INJURED = 0.96
MIN_REPORT_NONCOMBATANT = 0.96
MIN_ZERO_KEPT = 1.0


def test_sentence_claims_hold_their_floors() -> None:
    s = score_sentences()
    detail = "\n".join(s.misses[:60])
    assert s.recall >= MIN_RECALL, f"{s.summary()}\n{detail}"
    assert s.precision >= MIN_PRECISION, f"{s.summary()}\n{detail}"
    assert s.traps <= MAX_TRAPS, f"{s.summary()}\n{detail}"
    assert s.source_ok >= MIN_SOURCE_ACCURACY * s.source_total, f"{s.summary()}\n{detail}"


def test_report_totals_hold_their_floors() -> None:
    rates, misses = score_reports()
    detail = "\n".join(misses[:40])
    assert rates["killed"] >= MIN_REPORT_KILLED, f"{rates}\n{detail}"
    assert rates["injured"] >= MIN_REPORT_INJURED, f"{rates}\n{detail}"
    assert rates["killed_noncombatant"] >= MIN_REPORT_NONCOMBATANT, f"{rates}\n{detail}"
    assert rates["zero_kept"] >= MIN_ZERO_KEPT, f"{rates}\n{detail}"
