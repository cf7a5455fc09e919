"""Business Suite post exports read inside DuckDB (`_MbsPosts.stage` in meta.py): a CSV export of
200,000 posts on disk never passes through pandas.

Same rows, rules, rejections and messages as `read` (meta.py), from the same parts: the header
mapping (meta.py's `post_layout`: `_post_metrics`, the header-name tables, `Table.find`), the
language's date and number style (`_style`) and the cell parsers of values.py. DuckDB reads the
file and types the cells an export usually holds (plain numbers, the export's own timestamp
style); every other distinct cell text goes, once, through the very parsers `read` uses
(`number_column`, `datetime_column`), so a percentage, a thousands separator or a date in
another style reads alike both ways. Then `read`'s rules in SQL: placeholder rows (no post id)
are skipped, a row with a bad date or number is rejected with one message per bad cell, day
rows of a post that also has a lifetime row are set aside, several Date rows of one post are
summed per post, and the loaded rows' post metadata (id, publish time, type, text, permalink,
labels) is staged in the temp view `<view>_posts` for the loader.

Left to `read` (stage returns None, the file is read the ordinary way and bound by its 50 MB):
a workbook, a text that is not UTF-8, and a file with any row DuckDB cannot take at the
header's width (fewer or more fields than the header, a stray quote), which `read` pads,
reports or refuses its own way. One difference by design: past 100,000 problem rows the rest
are counted in one line, as the tidy CSV does, not listed one by one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from sostac_control.catalog import METRICS
from sostac_control.errors import Problem, SostacError
from sostac_control.formats.base import ReadOptions, Source
from sostac_control.formats.bounds import MAX_LINE_BYTES
from sostac_control.formats.languages import lifetime_words
from sostac_control.formats.values import MissingYearError, datetime_column, number_column
from sostac_control.i18n import _, number

MAX_REPORTED_ERRORS = 100_000
# The export's usual timestamp styles, typed by DuckDB; a cell in any other style is parsed by
# values.datetime_column, as `read` parses it. The pattern admits only cells both parsers read
# alike (two-digit fields, nothing around them).
_FAST_DATES = {
    "%m/%d/%Y %H:%M": r"[0-9]{2}/[0-9]{2}/[0-9]{4} [0-9]{2}:[0-9]{2}",
    "%d-%m-%Y %H:%M": r"[0-9]{2}-[0-9]{2}-[0-9]{4} [0-9]{2}:[0-9]{2}",
}
# Whitespace as Python's str.strip sees it (the ids, accounts and labels `read` strips).
_SPACE = (
    r"[\s\x{0b}\x{1c}-\x{1f}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}"
    r"\x{202f}\x{205f}\x{3000}]"
)
_TEXT = pd.StringDtype("pyarrow")


def _strip(expr: str) -> str:
    return f"regexp_replace({expr}, '^{_SPACE}+|{_SPACE}+$', '', 'g')"


def _lines(expr: str) -> str:
    """A cell with its line ends as `read` sees them (Source.text: CRLF and CR become LF)."""
    return f"replace(replace({expr}, chr(13) || chr(10), chr(10)), chr(13), chr(10))"


def _py_lines(text: str) -> str:
    """The same in Python, for the cells parsed (and quoted in messages) here: number and date
    cells stay as written in SQL, where line ends inside them change no value."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _blank(expr: str) -> str:
    """True where the text is empty once stripped (without stripping a long text)."""
    return f"NOT regexp_matches({expr}, '[^{_SPACE[1:]}')"


@dataclass(frozen=True)
class PostLayout:
    """Where a post export keeps what is read (positions in its header; the first column of a
    name wins) and how it writes dates and numbers: built by meta.py from `read`'s own names."""

    header: list[str]
    sep: str
    post_id: int
    published: int
    account: int | None  # None when --account names it
    date: int | None
    metrics: dict[str, int]  # metric → position, in `_post_metrics` order
    texts: dict[str, int | None]  # post_type, text, permalink, labels
    day_first: bool
    decimal: str | None
    date_formats: tuple[str, ...]


@dataclass
class StagedPosts:
    """What staging a post export read, for meta.py to word as `read` words it."""

    rows_read: int
    placeholders: int
    doubled: int
    per_day: bool
    rows_loaded: int
    accounts: list[str] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)


def stage_posts(
    source: Source, options: ReadOptions, con: Any, view: str, at: PostLayout, channel: str
) -> StagedPosts | None:
    """Stage a Business Suite post export on disk into the temp views `view` (observations)
    and `<view>_posts` (post metadata); None when `read` is to read it."""
    if not _read_rows(con, source, at, options):
        return None
    _parse_dates(con, source, at.date_formats, at.day_first, options.year)
    _parse_numbers(con, list(at.metrics), at.decimal)
    _flag_rows(con, at.date is not None)
    columns = [at.header[p] for p in at.metrics.values()]
    errors = _errors(con, list(at.metrics), columns, at.header[at.published])
    doubled, repeated = _set_aside(con, at.date is not None)
    _observations(con, channel, view, repeated)
    # The loaded rows' post metadata, as `read` gives it (posts_frame): text cells as written,
    # NULL when blank; the account before values without one are matched.
    texts = ", ".join(f"CASE WHEN NOT {_blank(f'r.{n}')} THEN {_lines(f'r.{n}')} END AS {n}"
                      for n in at.texts)  # fmt: skip
    con.execute(
        f"""CREATE OR REPLACE TEMP VIEW {view}_posts AS
        SELECT {_text(channel)} AS channel, f.account, r.post_id, f.stamp AS published_at,
               {texts}
        FROM _mbs_kept f JOIN _mbs_rows r USING (source_row)
        WHERE f.loaded"""
    )
    rows_read, placeholders = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE placeholder) FROM _mbs_flags"
    ).fetchone() or (0, 0)
    accounts, rows_loaded = con.execute(
        "SELECT list(DISTINCT account), count(DISTINCT source_row) FROM _mbs_obs"
    ).fetchone() or ([], 0)
    return StagedPosts(
        int(rows_read), int(placeholders), doubled, repeated, int(rows_loaded),
        sorted(accounts or []), errors,
    )  # fmt: skip


def _text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _read_rows(con: Any, source: Source, at: PostLayout, options: ReadOptions) -> bool:
    """The columns the export is read for, one row per data row (`_mbs_rows`); False when a
    row does not fit the header (left to `read`)."""

    def cell(position: int | None, lines: bool = False) -> str:
        raw = "NULL::VARCHAR" if position is None else f"c{position}"
        return _lines(raw) if lines and position is not None else raw

    account_expr = (
        _strip(cell(at.account, True)) if at.account is not None else _text(options.account or "")
    )
    fast_format = at.date_formats[0]
    fast = _FAST_DATES.get(fast_format)
    fast_stamp = (
        f"CASE WHEN regexp_full_match(published, '{fast}') "
        f"THEN try_strptime(published, '{fast_format}') END"
        if fast
        else "NULL::TIMESTAMP"
    )
    metric_cells = ", ".join(f"{cell(p)} AS m{i}" for i, p in enumerate(at.metrics.values()))
    extra_cells = ", ".join(f"{cell(p)} AS {name}" for name, p in at.texts.items())
    con.execute("DROP TABLE IF EXISTS _mbs_rejects")
    con.execute("DROP TABLE IF EXISTS _mbs_scans")
    try:
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE _mbs_rows AS
            SELECT source_row, post_id, item, item = '' AS placeholder, account, published,
                   {fast_stamp} AS fast_stamp, date_cell, * EXCLUDE (source_row, post_id, item,
                   account, published, date_cell)
            FROM (
                SELECT row_number() OVER () AS source_row, {cell(at.post_id, True)} AS post_id,
                       {_strip(cell(at.post_id, True))} AS item, {account_expr} AS account,
                       {cell(at.published)} AS published, {cell(at.date, True)} AS date_cell
                       {", " + metric_cells if metric_cells else ""}, {extra_cells}
                FROM read_csv($path, columns = $columns, header = false, skip = 1,
                              delim = $sep, quote = '"', escape = '"', auto_detect = false,
                              nullstr = $null, max_line_size = $line, ignore_errors = true,
                              store_rejects = true, rejects_table = '_mbs_rejects',
                              rejects_scan = '_mbs_scans')
            )""",
            {
                "path": str(source.path),
                "columns": {f"c{i}": "VARCHAR" for i in range(len(at.header))},
                "sep": at.sep,
                "null": "\x00",  # no cell is NULL: an empty field is the empty text, as in `read`
                "line": MAX_LINE_BYTES,
            },
        )
    except duckdb.InternalException:
        return False  # DuckDB's reader failed on the bytes (e.g. a broken character): `read` it
    except (duckdb.InvalidInputException, duckdb.ConversionException) as exc:
        raise SostacError(
            f"{source.name}: the CSV could not be read ({str(exc).splitlines()[0]}).",
            hint=_("Export the file again from the platform without editing it."),
        ) from exc
    row = con.execute("SELECT count(*) FROM _mbs_rejects").fetchone()
    con.execute("DROP TABLE _mbs_rejects")
    con.execute("DROP TABLE _mbs_scans")
    read = con.execute("SELECT count(*) FROM _mbs_rows").fetchone()
    # No row at all: either the file has none or DuckDB could not fit any to the header (a
    # damaged header); `read` says which, with its reasons.
    return not (row and row[0]) and bool(read and read[0])


def _register(con: Any, name: str, frame: pa.Table) -> None:
    con.register(f"{name}_frame", frame)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_frame")
    con.unregister(f"{name}_frame")


def _untyped(con: Any, sql: str) -> tuple[list[str], pd.Series]:
    """The distinct cells DuckDB did not type (`sql` selects them), as written and as the
    text `read`'s parsers see (line ends normalised)."""
    texts = [t for (t,) in con.execute(sql).fetchall()]
    return texts, pd.Series([_py_lines(t) for t in texts], dtype=_TEXT)


def _register_parsed(
    con: Any, name: str, texts: list[str], column: str, parsed: Any, bad: pd.Series
) -> None:
    """Temp table `name`(text, `column`, bad): what `read`'s parser made of each cell."""
    _register(con, name, pa.table({
        "text": pa.array(texts, type=pa.string()),
        column: pa.array(parsed, from_pandas=True),
        "bad": pa.array(bad.to_numpy(dtype=bool)),
    }))  # fmt: skip


def _parse_dates(
    con: Any, source: Source, formats: tuple[str, ...], day_first: bool, year: int | None
) -> None:
    """`_mbs_dates`: the publish-time cells DuckDB did not type, parsed as `read` parses them."""
    texts, cells = _untyped(
        con, "SELECT DISTINCT published FROM _mbs_rows WHERE fast_stamp IS NULL"
    )
    try:
        stamps, bad = datetime_column(cells, day_first=day_first, year=year, formats=formats)
    except MissingYearError as exc:  # as ingest.py says it for a file read by `read`
        raise SostacError(
            f"{source.name}: {exc}",
            hint=_("Pass --year YYYY (or choose the year on the Data page)."),
        ) from exc
    _register_parsed(
        con, "_mbs_dates", texts, "stamp", stamps.to_numpy(dtype="datetime64[us]"), bad
    )


def _parse_numbers(con: Any, metrics: list[str], decimal: str | None) -> None:
    """`_mbs_values`: one row per non-empty metric cell of a data row, with its number (NULL
    for "no data") and whether it is not a number, as values.number_column says."""
    plain = r"[0-9]{1,15}" if decimal == "," else r"[0-9]{1,15}(\.[0-9]{1,15})?"
    if metrics:
        columns = ", ".join(f"m{i} AS {_text(m)}" for i, m in enumerate(metrics))
        names = ", ".join(_text(m) for m in metrics)
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE _mbs_cells AS
            SELECT source_row, metric, cell,
                   CASE WHEN regexp_full_match(cell, '{plain}') THEN cell::DOUBLE END AS fast
            FROM (SELECT source_row, {columns} FROM _mbs_rows WHERE NOT placeholder)
            UNPIVOT (cell FOR metric IN ({names}))
            WHERE cell <> ''"""
        )
    else:
        con.execute(
            """CREATE OR REPLACE TEMP TABLE _mbs_cells (source_row BIGINT, metric VARCHAR,
                   cell VARCHAR, fast DOUBLE)"""
        )
    texts, cells = _untyped(con, "SELECT DISTINCT cell FROM _mbs_cells WHERE fast IS NULL")
    values, bad = number_column(cells, decimal)
    _register_parsed(con, "_mbs_numbers", texts, "value", values.to_numpy(dtype="float64"), bad)
    con.execute(
        """CREATE OR REPLACE TEMP TABLE _mbs_values AS
        SELECT c.source_row, c.metric, c.cell, coalesce(c.fast, n.value) AS value,
               coalesce(n.bad, false) AS bad
        FROM _mbs_cells c LEFT JOIN _mbs_numbers n ON c.fast IS NULL AND c.cell = n.text"""
    )
    con.execute("DROP TABLE _mbs_cells")
    con.execute("DROP TABLE _mbs_numbers")


def _flag_rows(con: Any, has_dates: bool) -> None:
    """`_mbs_flags`: per data row its publish time, whether it is rejected (a bad or missing
    date, a cell that is not a number), loaded, a lifetime row."""
    lifetime = (
        f"lower({_strip('r.date_cell')}) IN (SELECT unnest($words))" if has_dates else "false"
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _mbs_flags AS
        SELECT *, NOT placeholder AND NOT rejected AS loaded FROM (
            SELECT r.source_row, r.post_id, r.item, r.account, r.placeholder, r.date_cell,
                   r.published, coalesce(r.fast_stamp, d.stamp) AS stamp,
                   coalesce(d.bad, false) AS date_bad, {lifetime} AS lifetime,
                   NOT r.placeholder AND (coalesce(r.fast_stamp, d.stamp) IS NULL
                       OR r.source_row IN (SELECT source_row FROM _mbs_values WHERE bad))
                       AS rejected
            FROM _mbs_rows r LEFT JOIN _mbs_dates d
                 ON r.fast_stamp IS NULL AND r.published = d.text
        )""",
        {"words": sorted(lifetime_words())} if has_dates else {},
    )
    con.execute("DROP TABLE _mbs_dates")


def _errors(
    con: Any, metrics: list[str], metric_columns: list[str], date_column: str
) -> list[Problem]:
    """The rejected rows' problems, as `read` words and orders them: by row, the date first,
    then each metric in the mapping's order."""
    rows = con.execute(
        f"""SELECT source_row, k, cell, count(*) OVER () FROM (
            SELECT source_row, -1 AS k, published AS cell FROM _mbs_flags
            WHERE NOT placeholder AND stamp IS NULL
            UNION ALL
            SELECT v.source_row, list_position($metrics, v.metric) - 1, v.cell
            FROM _mbs_values v SEMI JOIN _mbs_flags f
                 ON v.source_row = f.source_row AND NOT f.placeholder
            WHERE v.bad
        ) ORDER BY source_row, k LIMIT {MAX_REPORTED_ERRORS}""",
        {"metrics": metrics},
    ).fetchall()
    errors = []
    for row, k, raw, _total in rows:
        cell = _py_lines(raw)
        if k < 0:
            message = (
                _("{value} is not a date").format(value=repr(cell))
                if cell.strip()
                else _("no date")
            )
            errors.append(Problem.at_row(int(row), date_column, message))
        else:
            message = _("{value} is not a number").format(value=repr(cell))
            errors.append(Problem.at_row(int(row), metric_columns[k], message))
    total = int(rows[0][3]) if rows else 0
    if total > len(errors):
        errors.append(
            Problem.at_row(
                0,
                "",
                _("… and {count} more rows with problems").format(
                    count=number(total - len(errors))
                ),
            )
        )
    return errors


def _set_aside(con: Any, has_dates: bool) -> tuple[int, bool]:
    """`_mbs_kept`: `_mbs_flags` with the day rows of a post that also has a lifetime row
    marked (`kept` false); and whether the kept rows repeat posts per Date (summed per post).
    Returns (day rows, repeated)."""
    con.execute(
        """CREATE OR REPLACE TEMP TABLE _mbs_kept AS
        SELECT *, loaded AND NOT day_row AS kept FROM (
            SELECT *, loaded AND NOT lifetime AND post_id IN (
                       SELECT post_id FROM _mbs_flags WHERE lifetime AND loaded) AS day_row
            FROM _mbs_flags)"""
    )
    key = "post_id || chr(31) || coalesce(date_cell, '')" if has_dates else "post_id"
    row = con.execute(
        f"""SELECT count(*) FILTER (WHERE k.day_row),
                   count(*) FILTER (WHERE k.kept) > count(DISTINCT k.post_id) FILTER (WHERE k.kept)
                   AND count(*) FILTER (WHERE k.kept) = count(DISTINCT {key}) FILTER (WHERE k.kept)
            FROM _mbs_kept AS k"""
    ).fetchone()
    doubled, repeated = (int(row[0]), bool(row[1])) if row else (0, False)
    return doubled, repeated


def _observations(con: Any, channel: str, view: str, repeated: bool) -> None:
    """`_mbs_obs` and the view `view`: OBSERVATION_COLUMNS, one row per value, as `read` gives."""
    rows = f"""SELECT v.source_row, {_text(channel)} AS channel, f.account, v.metric,
                   'post' AS grain, 'post' AS dimension, f.item, f.stamp::DATE AS period_start,
                   f.stamp::DATE AS period_end, v.value, NULL::VARCHAR AS currency
            FROM _mbs_values v JOIN _mbs_kept f USING (source_row)
            WHERE f.kept AND v.value IS NOT NULL"""
    if repeated:  # one value per post and metric: counts summed, the rest their largest
        rows = f"""SELECT min(source_row) AS source_row, channel, account, metric, grain,
                   dimension, item, period_start, period_end,
                   CASE WHEN list_contains($sums, metric) THEN sum(value) ELSE max(value) END
                       AS value, NULL::VARCHAR AS currency
            FROM ({rows}) GROUP BY channel, account, metric, grain, dimension, item,
                 period_start, period_end"""
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _mbs_obs AS {rows}",
        {"sums": [m for m, meta in METRICS.items() if meta.kind == "sum"]} if repeated else {},
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP VIEW {view} AS
        SELECT source_row::INTEGER AS source_row, channel, account, metric, grain, dimension,
               item, period_start, period_end, value, currency
        FROM _mbs_obs"""
    )
