"""Tables on screen: st.dataframe with the column names in the current language."""

from __future__ import annotations

from typing import Any

import streamlit as st
from pandas.io.formats.style import Styler

from sostac_control.views.tables import column_words, in_words


def _label(config: Any) -> Any:
    """A column's config with its label in words (a plain label, or a column config's)."""
    if isinstance(config, str):
        return column_words(config)
    if isinstance(config, dict) and isinstance(config.get("label"), str):
        return {**config, "label": column_words(config["label"])}
    return config


def dataframe(data: Any, **kwargs: Any) -> Any:
    """st.dataframe with the column names in the current language: a table's columns are
    renamed (and column_config and column_order follow); a styled table keeps its columns
    and gets the words as column labels."""
    config = {k: _label(v) for k, v in (kwargs.pop("column_config", None) or {}).items()}
    if isinstance(data, Styler):
        for column in data.data.columns:  # type: ignore[attr-defined]
            if column not in config and column_words(column) != column:
                config[column] = column_words(column)
    else:
        data = in_words(data)
        config = {column_words(k): v for k, v in config.items()}
        if kwargs.get("column_order"):
            kwargs["column_order"] = [column_words(c) for c in kwargs["column_order"]]
    if config:
        kwargs["column_config"] = config
    return st.dataframe(data, **kwargs)
