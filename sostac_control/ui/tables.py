"""Tables on screen: st.dataframe with the column names in the current language."""

from __future__ import annotations

from typing import Any

import streamlit as st

from sostac_control.views.tables import column_words, in_words


def dataframe(data: Any, **kwargs: Any) -> Any:
    """st.dataframe with the column names in the current language (column_config keys too)."""
    config = kwargs.pop("column_config", None)
    if config:
        kwargs["column_config"] = {column_words(k): v for k, v in config.items()}
    return st.dataframe(in_words(data), **kwargs)
