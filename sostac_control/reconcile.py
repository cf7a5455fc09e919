"""Every load proves itself: the totals it read from its file equal the totals it stored.

A load reads data rows (after the format has set aside the rows it declares as totals,
placeholders or descriptions, each counted and named), settles rows that share one identity
inside the file, merges, and then asks the store what the keys it stated now hold. Per metric
and section (channel), read and stored must be equal; otherwise the load is refused inside its
transaction, so nothing of it is written. Where the file carries its own total row, the rows
are checked against it too, and the result is said in words (platforms round totals
separately, so a small difference is reported, not refused).

"Newer wins" applies only between loads: inside one file, rows finer than the format's key are
summed into the key (formats that declare `sum_rows_into_key`), or else rows with the same
identity and different values refuse the file, naming the rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from sostac_control.catalog import METRICS, metric_words
from sostac_control.errors import Problem, SostacError
from sostac_control.i18n import _, is_dutch, ngettext, use_language

KEY = ["channel", "account", "metric", "grain", "dimension", "item", "period_start", "period_end"]

# Two totals are the same when they differ by less than this (float sums in another order).
TOLERANCE = 1e-6


@dataclass
class Settled:
    """The rows of a file with one row per identity, and what settling did to them."""

    frame: pd.DataFrame
    repeated: int = 0  # rows stating exactly what earlier rows of the same identities stated
    summed: int = 0  # rows finer than the key, added into the key's value
    notes: list[str] = field(default_factory=list)


def settle_rows(frame: pd.DataFrame, name: str, *, sum_into_key: bool) -> Settled:
    """One row per identity: sum rows finer than the key, count exact repeats once, and refuse
    rows that give one identity two different values (never "newer wins" inside a file)."""
    if frame.empty:
        return Settled(frame)
    frame = frame.reset_index(drop=True)
    repeated_key = frame.duplicated(KEY, keep=False)
    if not repeated_key.any():
        return Settled(frame)
    shared = frame[repeated_key]
    keep = frame[~repeated_key]
    groups = shared.groupby(KEY, sort=False, dropna=False, observed=True)
    if sum_into_key:
        summed = groups.agg(
            source_row=("source_row", "min"),
            value=("value", "sum"),
            currency=("currency", "first"),
        ).reset_index()
        rows_summed = int(shared["source_row"].nunique())
        identities = int(summed.drop_duplicates(["dimension", "item"]).shape[0])
        level = str(summed["dimension"].iloc[0] or "key").replace("_", " ")
        out = pd.concat([keep, summed[frame.columns]], ignore_index=True)
        note = ngettext(
            "{rows} rows share {n} {level} identity (rows finer than the {level}, e.g. ads "
            "without an id): their values are added up per identity, not replaced.",
            "{rows} rows share {n} {level} identities (rows finer than the {level}, e.g. ads "
            "without an id): their values are added up per identity, not replaced.",
            identities,
        ).format(rows=rows_summed, n=identities, level=level)
        return Settled(out, summed=rows_summed - identities, notes=[note])
    spread = groups["value"].agg(["min", "max"])
    conflicts = spread[(spread["max"] - spread["min"]).abs() > TOLERANCE * spread["max"].abs()]
    if not conflicts.empty:
        problems = []
        for key in conflicts.index[:20]:
            values = dict(zip(KEY, key, strict=True))
            mask = (shared[KEY] == pd.Series(values)).all(axis=1)
            rows = shared.loc[mask, ["source_row", "value"]].to_records(index=False)
            problems.append(
                Problem(
                    _twice(
                        values["metric"],
                        values["item"] or values["channel"],
                        values["period_start"],
                        [(r, v) for r, v in rows],
                    ),
                    file=name,
                    line=int(rows[0][0]),
                    column=str(values["metric"]),
                )
            )
        raise _conflict_refusal(name, len(conflicts), problems)
    first = groups.head(1)
    # Rows whose every value repeats an earlier row (a value may repeat inside a row that
    # also states new ones: that row is not a repeat).
    repeated = int(shared["source_row"].nunique() - first["source_row"].nunique())
    out = pd.concat([keep, first], ignore_index=True)
    return Settled(out, repeated=repeated, notes=[_repeat_note(repeated, len(shared) - len(first))])


def _twice(metric: str, item: str, start: object, stated: list[tuple[Any, Any]]) -> str:
    """The problem of one identity given two different values."""
    rows = ", ".join(_("row {row}: {value}").format(row=int(r), value=_fmt(v)) for r, v in stated)
    return _("{metric} of {item} ({start}) is given twice with different values: {rows}").format(
        metric=_metric(metric), item=item, start=start, rows=rows
    )


def _conflict_refusal(name: str, count: int, problems: list[Problem]) -> SostacError:
    """The refusal of a file that gives one identity two different values."""
    return SostacError(
        _(
            "{name}: {n} value(s) are given twice in the file with different values "
            "({first}); which one is right cannot be told, so nothing is loaded."
        ).format(name=name, n=count, first=problems[0].message),
        hint=_("Remove the repeated rows from the export (or export again), then load it."),
        problems=problems,
    )


def _repeat_note(repeated: int, alike: int) -> str:
    """The note on rows (or values) a file states twice alike, counted once."""
    if repeated:
        return _("{n} repeated row(s) stating the same values were counted once.").format(
            n=repeated
        )
    return _("{n} value(s) stated twice alike were counted once.").format(n=alike)


@dataclass
class SettledStage:
    """The staged rows of a file settled in SQL (`settle_stage`): the view with one row per
    identity, how many values it holds, and what settling did."""

    view: str
    values: int
    repeated: int = 0
    notes: list[str] = field(default_factory=list)


def settle_stage(con: Any, rows: str, view: str, name: str) -> SettledStage:
    """`settle_rows` for rows staged in DuckDB (the relation `rows`), making the temp view
    `view`: exact repeats are kept once (the first row), different values for one identity
    refuse the file naming the rows. Formats that sum rows into the key are not staged."""
    key = ", ".join(KEY)
    count, distinct = con.execute(
        f"SELECT count(*), count(DISTINCT hash({key})) FROM {rows}"
    ).fetchone()
    if distinct == count:  # as many distinct key hashes as rows: no identity repeats
        con.execute(f"CREATE OR REPLACE TEMP VIEW {view} AS SELECT * FROM {rows}")
        return SettledStage(view, int(count))
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _repeated AS
        SELECT {key}, min(value) AS low, max(value) AS high,
               list(source_row ORDER BY source_row) AS source_rows,
               list(value ORDER BY source_row) AS vals
        FROM {rows} GROUP BY ALL HAVING count(*) > 1"""
    )
    conflicts = con.execute(
        f"""SELECT metric, item, channel, period_start, source_rows, vals, count(*) OVER ()
            FROM _repeated WHERE abs(high - low) > {TOLERANCE!r} * abs(high)
            ORDER BY source_rows[1] LIMIT 20"""
    ).fetchall()
    if conflicts:
        problems = [
            Problem(
                _twice(metric, item or channel, start, list(zip(at, vals, strict=True))),
                file=name,
                line=int(at[0]),
                column=str(metric),
            )
            for metric, item, channel, start, at, vals, _count in conflicts
        ]
        raise _conflict_refusal(name, conflicts[0][6], problems)
    shared_rows, first_rows, shared, first = con.execute(
        """SELECT count(DISTINCT r), (SELECT count(DISTINCT source_rows[1]) FROM _repeated),
                  count(*), (SELECT count(*) FROM _repeated)
           FROM (SELECT unnest(source_rows) AS r FROM _repeated)"""
    ).fetchone()
    con.execute(
        f"""CREATE OR REPLACE TEMP VIEW {view} AS
        SELECT * FROM {rows} ANTI JOIN (
            SELECT {key}, unnest(source_rows[2:]) AS source_row FROM _repeated) later
        USING ({key}, source_row)"""
    )
    repeated = int(shared_rows) - int(first_rows)
    note = _repeat_note(repeated, int(shared) - int(first))
    return SettledStage(view, int(count) - int(shared) + int(first), repeated, [note])


def stage_read_totals(con: Any, view: str) -> dict[tuple[str, str], float]:
    """`read_totals` of rows staged in DuckDB."""
    rows = con.execute(f"SELECT channel, metric, sum(value) FROM {view} GROUP BY ALL").fetchall()
    return {(str(channel), str(metric)): float(total) for channel, metric, total in rows}


def read_totals(frame: pd.DataFrame) -> dict[tuple[str, str], float]:
    """{(section, metric): total of the values read}; the section is the channel."""
    if frame.empty:
        return {}
    sums = frame.groupby(["channel", "metric"], sort=True, observed=True)["value"].sum()
    return {(str(key[0]), str(key[1])): float(v) for key, v in sums.items()}  # type: ignore[index]


@dataclass
class Reconciliation:
    """Per metric and section: read from the file, stored by the load, the file's own total."""

    read: dict[tuple[str, str], float]
    stored: dict[tuple[str, str], float]
    file_totals: dict[str, float] = field(default_factory=dict)

    def mismatches(self) -> list[tuple[str, str, float, float]]:
        out = []
        for key in sorted(set(self.read) | set(self.stored)):
            read, stored = self.read.get(key, 0.0), self.stored.get(key, 0.0)
            if not _same(read, stored):
                out.append((key[0], key[1], read, stored))
        return out

    def by_metric(self) -> dict[str, dict[str, Any]]:
        """`ingest --json`'s `reconciled`: {metric: {read, stored, file_total, check}}."""
        out: dict[str, dict[str, Any]] = {}
        sections = sorted({c for c, _metric in self.read})
        for (channel, metric), read in sorted(self.read.items()):
            entry = out.setdefault(
                metric, {"read": 0.0, "stored": 0.0, "file_total": None, "check": ""}
            )
            entry["read"] = _clean(entry["read"] + read)
            entry["stored"] = _clean(entry["stored"] + self.stored.get((channel, metric), 0.0))
            if len(sections) > 1:
                entry.setdefault("sections", {})[channel] = {
                    "read": _clean(read),
                    "stored": _clean(self.stored.get((channel, metric), 0.0)),
                }
        for metric, entry in out.items():
            entry["check"] = "stored equals read"
            total = self.file_totals.get(metric)
            if total is None:
                continue
            entry["file_total"] = _clean(total)
            with use_language("en"):  # JSON reads the same in every language
                entry["check"] += "; " + file_total_check(metric, entry["read"], total)
        return out


def file_total_sentence(reconciled: dict[str, dict[str, Any]]) -> str:
    """Where the file had its own total row: one sentence on how the rows compare with it."""
    checks = [
        (metric, file_total_check(metric, entry["read"], entry["file_total"]))
        for metric, entry in reconciled.items()
        if entry.get("file_total") is not None
    ]
    if not checks:
        return ""
    if all(check == _("matches the file's own total") for _metric, check in checks):
        return _("Every metric matches the file's own total row.")
    said = "; ".join(f"{metric}: {check}" for metric, check in checks)
    return _("Against the file's own total row: {checks}.").format(checks=said)


def reconciliation_rows(reconciled: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """`reconciled` as table rows for people: metric, read, stored, file's own total, check."""
    return [
        {
            "metric": metric,
            "read from the file": entry["read"],
            "stored": entry["stored"],
            "file's own total": entry.get("file_total"),
            "check": _("stored equals read")
            + (
                "; " + file_total_check(metric, entry["read"], entry["file_total"])
                if entry.get("file_total") is not None
                else ""
            ),
        }
        for metric, entry in sorted(reconciled.items())
    ]


def reconciled_line(reconciled: dict[str, dict[str, Any]]) -> str:
    """One line for a terminal: every metric's stored total, and the file-total checks."""
    parts = [
        f"{_metric(metric)} {_fmt(entry['stored'])}" for metric, entry in sorted(reconciled.items())
    ]
    line = _("reconciled (stored = read): {metrics}").format(metrics=", ".join(parts))
    total = file_total_sentence(reconciled)
    return f"{line}. {total}" if total else line + "."


def _metric(name: str) -> str:
    """A metric in a sentence: the code in English ("link_clicks"), the word in Dutch."""
    return metric_words(name) if is_dutch() else name


def set_aside_sentence(set_aside: dict[str, int]) -> str:
    """`{"total rows": 5}` → "Not data, set aside: 5 total rows." """
    parts = [f"{n:,} {_(kind)}" for kind, n in sorted(set_aside.items()) if n]
    return _("Not data, set aside: {kinds}.").format(kinds=", ".join(parts)) if parts else ""


def file_total_check(metric: str, read: float, total: float) -> str:
    """Words comparing the rows read with the file's own total row."""
    kind = METRICS[metric].kind if metric in METRICS else "sum"
    if kind != "sum":
        return _("the file's own total ({total}) counts {metric} once, not per row").format(
            total=_fmt(total), metric=_metric(metric)
        )
    diff = read - total
    if abs(diff) <= 0.005 + 1e-12 * abs(total):  # within half a cent
        return _("matches the file's own total")
    return _(
        "the rows add up to {read}, the file's own total is {total}: differs by {diff} "
        "(platforms round totals separately, and some totals include rows the export leaves out)"
    ).format(read=_fmt(read), total=_fmt(total), diff=_fmt(diff))


def check_reconciliation(name: str, reconciliation: Reconciliation) -> None:
    """Refuse (raise) when a metric's stored total differs from the total read."""
    wrong = reconciliation.mismatches()
    if not wrong:
        return
    problems = [
        Problem(
            _(
                "{metric} ({channel}): the file's data rows add up to {read}, the load stored "
                "{stored}"
            ).format(metric=_metric(metric), channel=channel, read=_fmt(read), stored=_fmt(stored)),
            file=name,
            column=metric,
        )
        for channel, metric, read, stored in wrong
    ]
    channel, metric, read, stored = wrong[0]
    cause = (
        _("the merge kept fewer values than the file states (rows reduced to one per key, or lost)")
        if stored < read
        else _(
            "values were counted twice, or a value of another load was kept in place of the file's"
        )
    )
    raise SostacError(
        _(
            "{name}: refused, {metric} ({channel}) does not reconcile: the file's data rows add "
            "up to {read} but the load would store {stored} (off by {off}; likely cause: "
            "{cause}). Nothing of the file was written."
        ).format(
            name=name,
            metric=_metric(metric),
            channel=channel,
            read=_fmt(read),
            stored=_fmt(stored),
            off=_fmt(stored - read),
            cause=cause,
        ),
        hint=_(
            "This is a fault in sostac-control, not in the data: report it with the file's "
            "format name (or the API source). Other files still load."
        ),
        problems=problems,
    )


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE * max(1.0, abs(a), abs(b))


def _clean(value: float) -> float:
    return round(value, 6)


def _fmt(value: float) -> str:
    """Every decimal the file had (up to 6), grouped as the current language writes numbers."""
    value = round(float(value), 6)
    text = f"{int(value):,}" if value.is_integer() else f"{value:,.6f}".rstrip("0").rstrip(".")
    return text.translate(_DUTCH_SEPARATORS) if is_dutch() else text


_DUTCH_SEPARATORS = str.maketrans(",.", ".,")
