"""tollcheck: reconcile conflicting casualty reports."""

__version__ = "0.1.0"
