"""Output that could be turned against its reader: bidi overrides in HTML, escape sequences on a terminal,
formulas in CSV, and tables folded to 80 columns off a terminal. Texts are made here."""

from __future__ import annotations

import csv
import io
import re

from test_html import R1, make_comparison  # tests/ is on sys.path, see conftest
from test_render import make_claim, make_totals

from tollcheck.model import Claim, Report
from tollcheck.render import claim_row, report_row
from tollcheck.render.html import render_html
from tollcheck.render.panels import print_comparison
from tollcheck.render.safe import terminal, visible
from tollcheck.render.writers import CsvWriter, TableWriter

RLO = "\u202e"
ESC = "\x1b"
HOSTILE = f"Police{ESC}[2J said {RLO}03-11-2025{ESC}]8;;http://x.example{ESC}\\ [bold]twelve[/bold]\x9b31m\x07"


def _hostile_comparison() -> tuple[str, object]:
    comp = make_comparison()
    ev = comp.events[0]
    ev.name = f"Orvenholt {RLO}market{ESC}[5m attack"
    ev.places = [f"Orven{RLO}holt"]
    ev.totals["killed"].sources[0].speakers = [HOSTILE]
    ev.totals["killed"].sources[0].outlet = f"Vellmark{ESC}[8m Post"
    text = f"On 2025-11-30 {RLO}gunmen killed 12 people{ESC}[2J in Orvenholt, {HOSTILE}."
    comp.reports[0] = Report(R1, text, title=f"Raid {RLO}in Orvenholt", outlet=f"Vell{RLO}mark")
    comp.claims[R1] = []
    return text, comp


# ---------------------------------------------------------------- HTML (item 10)


def test_visible_marks_controls_and_keeps_text() -> None:
    assert visible(f"a{RLO}b\u2066c\u200fd{ESC}e") == "a⟨U+202E⟩b⟨U+2066⟩c⟨U+200F⟩d⟨U+001B⟩e"
    assert visible("line\nnext\ttab\r\npage\fbreak") == "line\nnext\ttab\r\npage\fbreak"
    assert visible("v\vt") == "v⟨U+000B⟩t" and terminal("page\fbreak\vx") == "page break x"
    assert visible("Ñora — «عربي» 12") == "Ñora — «عربي» 12"


def test_html_shows_bidi_and_control_characters_and_isolates_names() -> None:
    _, comp = _hostile_comparison()
    page = render_html(comp)  # type: ignore[arg-type]
    assert RLO not in page and ESC not in page and "\x9b" not in page and "\x07" not in page
    assert "⟨U+202E⟩gunmen killed 12 people⟨U+001B⟩[2J" in page
    assert "⟨U+202E⟩03-11-2025" in page
    assert "<bdi>Orvenholt ⟨U+202E⟩market⟨U+001B⟩[5m attack</bdi>" in page
    assert "<bdi>Raid ⟨U+202E⟩in Orvenholt</bdi>" in page
    assert "<bdi>Vell⟨U+202E⟩mark</bdi>" in page
    assert "unicode-bidi: isolate" in page
    # in the chart's tooltips too
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert "Vellmark⟨U+001B⟩[8m Post" in svg and RLO not in svg


# ---------------------------------------------------------------- terminal (item 11)


def test_terminal_text_has_no_escape_sequences() -> None:
    shown = terminal(HOSTILE + "\rover")
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", shown)
    assert "⟨U+001B⟩[2J" in shown and "⟨U+009B⟩" in shown and " over" in shown


def test_table_shows_escapes_and_reads_no_markup() -> None:
    out = io.StringIO()
    w = TableWriter(out)
    w.write(claim_row(make_claim(quote=HOSTILE, source=f"the {ESC}[31mministry", doc=f"r{ESC}[2J.txt"), 0))
    w.write(report_row(make_totals()))
    w.close()
    text = out.getvalue()
    assert ESC not in text and RLO not in text and "\x9b" not in text and "\x07" not in text
    assert "⟨U+001B⟩[31mministry" in text
    assert "[bold]twelve[/bold]" in text  # shown as written, not read as Rich markup


def test_panels_show_escapes_and_read_no_markup() -> None:
    _, comp = _hostile_comparison()
    comp.events[0].warnings = [f"[blink]check[/blink] {ESC}[2J"]  # type: ignore[attr-defined]
    out = io.StringIO()
    print_comparison(comp, out)  # type: ignore[arg-type]
    text = out.getvalue()
    assert ESC not in text and RLO not in text and "\x9b" not in text
    assert "⟨U+202E⟩market⟨U+001B⟩[5m" in text
    assert "[blink]check[/blink]" in text


# ---------------------------------------------------------------- CSV (item 12)


def test_csv_cells_that_start_a_formula_are_quoted_numbers_are_not() -> None:
    out = io.StringIO()
    w = CsvWriter(out)
    hostile = make_claim(
        quote='=HYPERLINK("http://x.example","12 killed")',
        source="+cmd|'/c calc'!A0",
        group="-2+3",
        place="@SUM(A1:A9)",
        doc="\tr.txt",
        low=-3,
        high=12,
    )
    w.write(claim_row(hostile, 0))
    w.write(claim_row(make_claim(source="\rwho", flags=["=bad"]), 1))
    w.close()
    rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert rows[0]["quote"] == '\'=HYPERLINK("http://x.example","12 killed")'
    assert rows[0]["source"] == "'+cmd|'/c calc'!A0"
    assert rows[0]["group"] == "'-2+3"
    assert rows[0]["place"] == "'@SUM(A1:A9)"
    assert rows[0]["doc"] == "'\tr.txt"
    assert (rows[0]["low"], rows[0]["high"], rows[0]["start"]) == ("-3", "12", "14")  # numbers stay numbers
    assert rows[1]["source"] == "'\rwho" and rows[1]["flags"] == "'=bad"
    assert rows[1]["quote"] == make_claim().quote  # ordinary text untouched


# ---------------------------------------------------------------- tables off a terminal (item 17)


def test_table_to_a_file_is_not_folded_to_80_columns(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("COLUMNS", raising=False)
    quote = "Gunmen attacked the crowded market in Orvenholt on Tuesday and killed 12 people, police said."
    out = io.StringIO()
    w = TableWriter(out)
    for i in range(3):
        claim: Claim = make_claim(doc=f"reports/a long directory name/report number {i}.txt", quote=quote)
        w.write(claim_row(claim, i))
    w.write(report_row(make_totals()))
    w.close()
    lines = out.getvalue().splitlines()
    rows = [ln for ln in lines if "report number" in ln and "Gunmen" in ln]
    assert len(rows) == 3  # one line per claim: the path and the quote's start are not folded
    assert all("report number" in ln and "12 people" in ln for ln in rows)
    assert max(len(ln) for ln in lines) > 80
    assert not any(ln.strip() in ("attacked", "market", "Orvenholt") for ln in lines)  # no word per line


def test_casebook_review_list_shows_escapes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from tollcheck.cli import app

    report = tmp_path / "r.txt"
    report.write_text(f"Gunmen killed 14 villagers in Ostrel on Saturday, {ESC}[2J[bold]police[/bold] said.\n")
    db = str(tmp_path / "case.db")
    runner = CliRunner()
    assert runner.invoke(app, ["add", str(report), "--db", db]).exit_code == 0
    listed = runner.invoke(app, ["review", "list", "--db", db])
    assert listed.exit_code == 0 and "14" in listed.stdout
    assert ESC not in listed.stdout and "⟨U+001B⟩[2J[bold]police[/bold]" in listed.stdout


def test_error_lines_show_escapes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from tollcheck.cli import app

    db = str(tmp_path / f"case{ESC}[2J.db")
    result = CliRunner().invoke(app, ["review", "list", "--db", db])
    assert result.exit_code != 0 and "no such casebook" in result.stderr
    assert ESC not in result.stderr and "case⟨U+001B⟩[2J.db" in result.stderr
