"""Tally: what one report says the toll of its main event is, per category."""

from tollcheck.tally.totals import main_event_claims, tally

__all__ = ["main_event_claims", "tally"]
