"""Overview, the Monday screen: each objective's status, its KPI tiles, what changed this week."""

import pandas as pd
import streamlit as st

from sostac_control import ui
from sostac_control.errors import SostacError
from sostac_control.views import overview

st.title("Overview")
plan = ui.page_plan()
if plan is not None and ui.has_data():
    as_of = ui.as_of_day()
    try:
        view = ui.query(overview.overview, plan, as_of)
    except SostacError as exc:
        ui.show_error(exc)
        st.stop()
    st.caption(f"{view.plan_name} · status on {as_of:%A %d %B %Y}")
    if view.refresh:
        st.warning(
            "Some KPIs are **stale**: their data stopped arriving, so they are not judged. "
            "Refresh these sources (load a newer export on the Data page, or `sostac-control "
            "fetch`):\n\n" + "\n".join(f"- {text}" for text in view.refresh)
        )

    st.subheader("Objectives")
    for card in view.objectives:
        st.markdown(f"{ui.status_text(card.status)} **{card.title}**")
        if card.crisis:
            st.error(f"Crisis: {card.crisis}", icon="🚨")
        st.caption(
            " · ".join(x for x in (card.category, card.owner) if x)
            + f" · {card.start:%d %b} – {card.end:%d %b %Y} · {card.reason}"
        )
    ui.download_csv(overview.objectives_table(view), "scorecard", "Download the scorecard as CSV")

    st.subheader("KPIs")
    tiles = [(card, tile) for card in view.objectives for tile in card.tiles]
    for row in range(0, len(tiles), 4):
        for column, (card, tile) in zip(st.columns(4), tiles[row : row + 4], strict=False):
            with column:
                st.caption(card.title)
                ui.kpi_tile(tile, view.currency)
                ui.open_kpi(card.id, tile.index, key=f"open-{card.id}-{tile.index}")

    st.subheader("What changed since last week")
    st.caption(
        f"The last 7 days ({as_of - pd.Timedelta(days=6):%d %b} – {as_of:%d %b}) against the "
        "7 days before, with each metric's own aggregation."
    )
    st.dataframe(overview.changes_table(view), hide_index=True, width="stretch")
    ui.download_csv(view.changes, "changes-since-last-week")
