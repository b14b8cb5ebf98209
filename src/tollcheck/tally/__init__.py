"""Tally: what one report says the toll of its main event is, per category."""

from tollcheck.tally.totals import figure_of, main_event_claims, tally

__all__ = ["figure_of", "main_event_claims", "tally"]
