"""The `Doc._` extensions the components write, registered in one place."""

from __future__ import annotations

from spacy.tokens import Doc

EXTENSIONS = ("tc_cues", "tc_sentences", "tc_error", "tc_lede_date")


def register_extensions() -> None:
    for name in EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
