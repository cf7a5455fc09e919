"""Product errors on a page: the one widget that shows what happened, how to fix it, and where."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from sostac_control.errors import Problem, SostacError
from sostac_control.views.tables import column_words, in_words


def problem_table(problems: Sequence[Problem], where: str = "line") -> pd.DataFrame:
    """Problems as one table: where (a plan `line` or an export `row`), the field or column,
    the problem and its hint; indexed by the field when no problem has a place."""
    part = "field" if where == "line" else "column"
    table = pd.DataFrame(
        {
            where: [p.line for p in problems],
            part: [p.column for p in problems],
            "problem": [p.message for p in problems],
            "hint": [p.hint for p in problems],
        }
    )
    if not table["hint"].astype(bool).any():
        table = table.drop(columns="hint")
    if table[where].isna().all():
        return table.drop(columns=where).set_index(part)
    return table.set_index(where)


def show_problem_table(problems: Sequence[Problem], where: str = "line") -> None:
    """The table of problems: static (long hints wrap) when short, scrollable when long."""
    table = in_words(problem_table(problems, where))
    table.index.name = str(column_words(table.index.name))
    if len(table) <= _STATIC_ROWS:
        st.table(table)
    else:
        st.dataframe(table, width="stretch")


_STATIC_ROWS = 25


def show_problem(
    message: str,
    hint: str = "",
    problems: Sequence[Problem] = (),
    *,
    where: str = "line",
    compact: bool = False,
) -> None:
    """The one widget for product errors: what happened, how to fix it, and where (a table).

    `where` names the place of a problem: a plan's `line` or an export's data `row`.
    `compact` (one item in a list of results) shows the hint as a caption under the message.
    """
    st.error(message)
    if hint:
        (st.caption if compact else st.info)(hint)
    if problems:
        show_problem_table(problems, where)


def show_error(exc: SostacError, where: str = "line") -> None:
    """A product error at a page's edge: message, hint and the table of problems."""
    show_problem(exc.message, exc.hint, exc.problems, where=where)
