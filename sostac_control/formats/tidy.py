"""The generic tidy CSV: `date,channel,metric,value[,account][,post_id]`, one value a row.

What a user writes by hand or from another tool, and what tests use to state data exactly.
ISO dates and "." decimals; a ";"-separated file with decimal commas (Dutch spreadsheet
software) is read too. The work is done by Arrow and DuckDB, not row by row in Python, so a
million rows load in seconds.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from sostac_control.catalog import CHANNELS, METRICS
from sostac_control.errors import Problem, SostacError
from sostac_control.formats.base import (
    OBSERVATION_COLUMNS,
    Detection,
    Extract,
    Format,
    ReadOptions,
    Source,
    empty_observations,
)
from sostac_control.formats.bounds import MAX_LINE_BYTES
from sostac_control.i18n import _, number

REQUIRED = ("date", "channel", "metric", "value")
OPTIONAL = ("account", "post_id")
_MAX_REPORTED_ERRORS = 1000
_LOADABLE_METRICS = [m for m, meta in METRICS.items() if meta.kind != "ratio"]


def _header(source: Source) -> tuple[list[str], str] | None:
    lines = [line for line in source.head_lines(3) if line.strip()]
    if not lines:
        return None
    first = lines[0]
    sep = ";" if first.count(";") > first.count(",") else ","
    names = [part.strip().strip('"').strip().lower() for part in first.split(sep)]
    return names, sep


class TidyCsv(Format):
    name = "tidy_csv"
    platform = "Generic"
    title = "Tidy CSV (date,channel,metric,value[,account][,post_id])"
    channel = ""
    grain = "day"

    def detect(self, source: Source) -> Detection | None:
        if source.kind != "text":
            return None
        found = _header(source)
        if found is None:
            return None
        names, _ = found
        if all(c in names for c in REQUIRED):
            return Detection(1.0, "header names date, channel, metric and value")
        return None

    def read(self, source: Source, options: ReadOptions) -> Extract:
        found = _header(source)
        if found is None:
            raise SostacError(f"{source.name} is empty.")
        names, sep = found
        unknown = [n for n in names if n not in REQUIRED + OPTIONAL]
        if unknown:
            raise SostacError(
                f"{source.name}: unknown column(s) {', '.join(unknown)} in a tidy CSV.",
                hint="A tidy CSV has the columns date, channel, metric, value and optionally "
                "account and post_id.",
            )
        # UTF-8 bytes go to Arrow as they are (it reads CRLF and skips the BOM's header row);
        # decoding and encoding again would copy a large file three times over.
        raw = (
            source.data
            if source.encoding in ("utf-8", "utf-8-sig")
            else source.text.encode("utf-8")
        )
        try:
            table = pacsv.read_csv(
                io.BytesIO(raw),
                # One thread: a failed threaded read can abort the process at exit (pyarrow).
                read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, use_threads=False),
                parse_options=pacsv.ParseOptions(delimiter=sep),
                convert_options=pacsv.ConvertOptions(
                    column_types={n: pa.string() for n in names}, strings_can_be_null=False
                ),
            )
        except pa.ArrowInvalid as exc:
            raise SostacError(
                f"{source.name}: the CSV could not be read ({exc}).",
                hint="Every row needs as many fields as the header.",
            ) from exc
        table = table.append_column("source_row", pa.array(np.arange(1, table.num_rows + 1)))
        decimal_comma = sep == ";"
        con = duckdb.connect()
        try:
            con.register("raw", table)
            account_expr = "trim(account)" if "account" in names else "''"
            item_expr = "trim(post_id)" if "post_id" in names else "''"
            value_text = (
                "replace(replace(trim(value), '.', ''), ',', '.')"
                if decimal_comma
                else ("trim(value)")
            )
            # Views, not tables: the rows are parsed again by each of the two reads below, which
            # costs less than holding a parsed copy of a large file in memory.
            con.execute(
                f"""CREATE VIEW parsed AS SELECT
                    source_row,
                    try_cast(trim(date) AS DATE) AS day,
                    lower(trim(channel)) AS channel,
                    lower(trim(metric)) AS metric,
                    try_cast({value_text} AS DOUBLE) AS value,
                    trim(value) AS value_text, trim(date) AS date_text,
                    {account_expr} AS account,
                    {item_expr} AS item
                FROM raw"""
            )
            metrics = [m for m, meta in METRICS.items() if meta.kind != "ratio"]
            con.execute(
                "CREATE TABLE known_channels AS SELECT unnest(?::VARCHAR[]) AS c", [list(CHANNELS)]
            )
            con.execute("CREATE TABLE known_metrics AS SELECT unnest(?::VARCHAR[]) AS m", [metrics])
            con.execute(
                """CREATE VIEW checked AS SELECT *,
                    CASE
                      WHEN day IS NULL THEN 'date'
                      WHEN channel NOT IN (SELECT c FROM known_channels) THEN 'channel'
                      WHEN metric NOT IN (SELECT m FROM known_metrics) THEN 'metric'
                      WHEN value IS NULL OR NOT isfinite(value) THEN 'value'
                    END AS bad
                FROM parsed"""
            )
            bad_rows = con.execute(
                f"""SELECT source_row, bad, date_text, channel, metric, value_text,
                           count(*) OVER () FROM checked
                WHERE bad IS NOT NULL ORDER BY source_row LIMIT {_MAX_REPORTED_ERRORS}"""
            ).fetchall()
            bad = [row[:6] for row in bad_rows]
            n_bad_row = (bad_rows[0][6],) if bad_rows else (0,)
            observations: pa.Table = con.execute(
                """SELECT source_row, channel, account, metric,
                          CASE WHEN item = '' THEN 'day' ELSE 'post' END AS grain,
                          CASE WHEN item = '' THEN '' ELSE 'post' END AS dimension,
                          item, day AS period_start, day AS period_end, value,
                          NULL::VARCHAR AS currency
                   FROM checked WHERE bad IS NULL"""
            ).fetch_arrow_table()
        finally:
            con.close()
        errors = [_row_error(*row) for row in bad]
        n_bad = int(n_bad_row[0]) if n_bad_row else len(errors)
        if n_bad > len(errors):
            errors.append(Problem.at_row(0, "", _more_rows(n_bad - len(errors))))
        # Arrow-backed columns: no Python object per cell, and DuckDB scans them again as is.
        frame = observations.to_pandas(types_mapper=pd.ArrowDtype)
        if options.account and "account" not in names:
            frame["account"] = options.account
        return Extract(
            observations=frame[OBSERVATION_COLUMNS],
            rows_read=table.num_rows,
            errors=errors,
            account=options.account or "",
        )

    def stage(self, source: Source, options: ReadOptions, con: Any, view: str) -> Extract | None:
        """DuckDB reads, types and checks the file on disk itself, inside the load's
        transaction: a 10M-row file never passes through Python (same rows, rules and messages
        as `read`)."""
        found = _header(source)
        if source.path is None or found is None or source.encoding not in ("utf-8", "utf-8-sig"):
            return None
        names, sep = found
        if any(n not in REQUIRED + OPTIONAL for n in names) or len(set(names)) < len(names):
            return None  # `read` refuses it with the reason
        text = {n: f"coalesce(trim({n}), '')" for n in names}
        value_text = (
            f"replace(replace({text['value']}, '.', ''), ',', '.')" if sep == ";" else text["value"]
        )
        # A file without an account column: every value is the given account's (as `read`);
        # empty cells of an account column are matched later (ingest_staged).
        account = text["account"] if "account" in names else _sql_text(options.account or "")
        try:
            # The row number of a value is the staged row's rowid + 1: DuckDB keeps the file's
            # order in a table it creates (preserve_insertion_order, on by default), so rowids
            # count the CSV's rows as `row_number() OVER ()` would, without a window over the
            # whole file (half the stage's time at 10M rows). No join may enter this statement
            # (a long `IN (...)` list becomes one): it would reorder the rows. Text a message
            # needs is kept for bad rows only, and the post id only when the file has that
            # column.
            con.execute(
                f"""CREATE OR REPLACE TEMP TABLE _tidy_rows AS
                SELECT * EXCLUDE (date_raw, value_raw),
                       CASE WHEN bad IS NOT NULL THEN date_raw END AS date_text,
                       CASE WHEN bad IS NOT NULL THEN value_raw END AS value_text
                FROM (
                    SELECT *, CASE
                          WHEN day IS NULL THEN 'date'
                          WHEN NOT list_contains({_CHANNEL_LIST}, channel) THEN 'channel'
                          WHEN NOT list_contains({_METRIC_LIST}, metric) THEN 'metric'
                          WHEN value IS NULL OR NOT isfinite(value) THEN 'value'
                        END AS bad
                    FROM (
                        SELECT try_cast({text["date"]} AS DATE) AS day,
                               lower({text["channel"]}) AS channel,
                               lower({text["metric"]}) AS metric,
                               try_cast({value_text} AS DOUBLE) AS value,
                               {account} AS account,
                               {f"{text['post_id']} AS item," if "post_id" in names else ""}
                               {text["date"]} AS date_raw, {text["value"]} AS value_raw
                        FROM read_csv($path, columns = $columns, header = true,
                                      delim = $sep, quote = '"', escape = '"',
                                      auto_detect = false, max_line_size = $line)
                    )
                )""",
                {
                    "path": str(source.path),
                    "columns": {n: "VARCHAR" for n in names},
                    "sep": sep,
                    "line": MAX_LINE_BYTES,
                },
            )
        except (duckdb.InvalidInputException, duckdb.ConversionException) as exc:
            raise SostacError(
                f"{source.name}: the CSV could not be read ({str(exc).splitlines()[0]}).",
                hint="Every row needs as many fields as the header.",
            ) from exc
        # Rows a transaction created are numbered past a base (committed ones from 0).
        total, base = con.execute(
            "SELECT count(*), coalesce(min(rowid), 0) FROM _tidy_rows"
        ).fetchone()
        bad_rows = con.execute(
            f"""SELECT rowid - {int(base)} + 1 AS source_row, bad, date_text, channel, metric,
                       value_text, count(*) OVER () FROM _tidy_rows
            WHERE bad IS NOT NULL ORDER BY source_row LIMIT {_MAX_REPORTED_ERRORS}"""
        ).fetchall()
        errors = [_row_error(*row[:6]) for row in bad_rows]
        n_bad = int(bad_rows[0][6]) if bad_rows else 0
        if n_bad > len(errors):
            errors.append(Problem.at_row(0, "", _more_rows(n_bad - len(errors))))
        con.execute(
            f"""CREATE OR REPLACE TEMP VIEW {view} AS
            SELECT (rowid - {int(base)} + 1)::INTEGER AS source_row, channel, account, metric,
                   {_item_columns("post_id" in names)},
                   day AS period_start, day AS period_end, value, NULL::VARCHAR AS currency
            FROM _tidy_rows WHERE bad IS NULL"""
        )
        return Extract(
            observations=empty_observations(),
            rows_read=int(total),
            errors=errors,
            account=options.account or "",
        )


def _item_columns(has_item: bool) -> str:
    """The staged view's grain, dimension and item: post rows when the file has post ids."""
    if not has_item:
        return "'day' AS grain, '' AS dimension, '' AS item"
    return """CASE WHEN item = '' THEN 'day' ELSE 'post' END AS grain,
              CASE WHEN item = '' THEN '' ELSE 'post' END AS dimension, item"""


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _sql_list(texts: Iterable[str]) -> str:
    """SQL text literals for a list literal `[...]`: DuckDB tests `list_contains` of a literal
    list per row several times faster than of a list parameter (1 s of a 1M-row stage), and
    unlike a long `x IN (...)` it is no join, so the staged rows keep the file's order."""
    return ", ".join(_sql_text(text) for text in texts)


_CHANNEL_LIST = f"[{_sql_list(CHANNELS)}]"
_METRIC_LIST = f"[{_sql_list(_LOADABLE_METRICS)}]"


def _row_error(
    row: int, column: str, date_text: str, channel: str, metric: str, value: str
) -> Problem:
    if column == "date":
        return Problem.at_row(
            row, "date", _("{value} is not a date; write YYYY-MM-DD").format(value=repr(date_text))
        )
    if column == "channel":
        return Problem.at_row(
            row,
            "channel",
            _("unknown channel {channel}; known: {known}").format(
                channel=repr(channel), known=", ".join(CHANNELS)
            ),
        )
    if column == "metric":
        hint = (
            _(" (ratio metrics are computed from their parts; load the parts)")
            if metric in METRICS
            else ""
        )
        return Problem.at_row(
            row, "metric", _("unknown metric {metric}{hint}").format(metric=repr(metric), hint=hint)
        )
    return Problem.at_row(row, "value", _("{value} is not a number").format(value=repr(value)))


def _more_rows(count: int) -> str:
    return _("… and {count} more rows with problems").format(count=number(count))


FORMATS: list[Format] = [TidyCsv()]
