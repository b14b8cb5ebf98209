"""Events: the claims of all reports grouped into incidents and named periods."""

from tollcheck.events.copies import find_copies
from tollcheck.events.grouping import date_span, group_events, make_event
from tollcheck.events.places import PlaceIndex, load_aliases, place_key

__all__ = ["PlaceIndex", "date_span", "find_copies", "group_events", "load_aliases", "make_event", "place_key"]
