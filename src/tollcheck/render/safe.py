"""Untrusted text made harmless to show: control characters become visible marks such as ⟨U+202E⟩.

Report texts, titles, outlets and speakers come from the web. Shown as they are, a right-to-left override
(U+202E) reverses the rest of a line in a browser ("5202-03-11" for 2025-11-30), and an escape sequence
(ESC [2J) clears a terminal or hides text. `visible` replaces every C0/C1 control character and every
bidirectional formatting character with its code point in angle brackets, in one pass (`str.translate`);
line breaks and tabs stay (for HTML, carriage returns and form feeds too, which a browser shows as spaces;
on a terminal they become spaces).
"""

from __future__ import annotations

from markupsafe import Markup, escape
from rich.text import Text

BIDI = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
CONTROLS = (*range(0x00, 0x20), *range(0x7F, 0xA0))


def _table(keep: str) -> dict[int, str]:
    return {cp: f"⟨U+{cp:04X}⟩" for cp in (*CONTROLS, *BIDI) if chr(cp) not in keep}


_HTML = _table("\n\t\r\f")  # HTML's own whitespace (a PDF's page breaks are form feeds)
# carriage return, form feed and vertical tab move a terminal's cursor: shown as the space they stand for
_TERMINAL = _table("\n\t") | dict.fromkeys(map(ord, "\r\f\v"), " ")


def visible(text: str) -> str:
    """`text` with control and bidi formatting characters shown as ⟨U+XXXX⟩ (for HTML)."""
    return text.translate(_HTML)


def terminal(text: object) -> str:
    """`text` safe to print on a terminal: no escape sequence, control or bidi character reaches it."""
    return str(text).translate(_TERMINAL)


def cell(text: object, style: str = "") -> Text:
    """A Rich cell of untrusted text: control characters shown, and no Rich markup read in it."""
    return Text(terminal("" if text is None else text), style=style)


def html(text: object) -> Markup:
    """Untrusted text for HTML: control characters shown, then escaped."""
    return escape(visible(str(text)))


def bdi(text: object) -> Markup:
    """Untrusted text as an isolated run (`<bdi>`): right-to-left text in it cannot reorder what follows."""
    return Markup("<bdi>") + html(text) + Markup("</bdi>")


def finalize(value: object) -> object:
    """Jinja's `finalize`: every plain string a template prints has its control characters shown."""
    return visible(value) if isinstance(value, str) and not isinstance(value, Markup) else value
