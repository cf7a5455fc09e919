"""Overview, the Monday screen: what needs attention first, then each objective's status, its
KPI tiles and what changed since last week."""

import pandas as pd
import streamlit as st

from sostac_control import ui
from sostac_control.errors import SostacError
from sostac_control.i18n import N_, _, bound, date_short, day_month, weekday_date
from sostac_control.views import overview

st.title(_("Overview"))
plan = ui.page_plan()
if plan is not None and ui.has_data():
    as_of = ui.as_of_day()
    _start, _end, chosen = ui.page_period()
    # The tiles' comparison is chosen under "KPIs"; what needs attention stays on top.
    compare = st.session_state.get("overview-compare") or "previous period"
    try:
        view = ui.query(overview.overview, plan, as_of, chosen, compare)
    except SostacError as exc:
        ui.show_error(exc)
        st.stop()
    shown = ""
    if view.channels:
        shown = " · " + _("channels: {channels}").format(channels=", ".join(view.channels))
    st.caption(
        f"{view.plan_name} · " + _("status on {day}").format(day=weekday_date(as_of)) + shown
    )
    for note in view.money_notes:
        st.warning(note, icon=":material/currency_exchange:")
    if view.refresh:
        st.warning(
            _(
                "Some KPIs are **stale**: their data stopped arriving, so they are not judged. "
                "Refresh these sources (load a newer export on the Data page, or "
                "`sostac-control fetch`):"
            )
            + "\n\n"
            + "\n".join(f"- {text}" for text in view.refresh)
        )

    st.subheader(_("What needs attention"))
    if not view.attention:
        st.success(_("Every objective is on course, and no status moved since last week."))
    for item in view.attention:
        with st.container(border=True):
            moved = (
                " · " + _("{moved} since last week").format(moved=item.moved) if item.moved else ""
            )
            st.markdown(
                f"{ui.status_text(item.status)} **{item.title}**{moved}", unsafe_allow_html=True
            )
            lines = [f"**{item.kpi_label}**: {item.reason}"]
            if item.crisis:
                lines.insert(0, _("**Crisis:** {crisis}").format(crisis=item.crisis))
            if item.cause:
                lines.append(_("Cause: {cause}").format(cause=item.cause))
            if item.pace:
                lines.append(_("Pace needed from now: {pace}").format(pace=item.pace))
            st.markdown("  \n".join(lines))
            ui.open_kpi(item.objective_id, item.kpi_index, key=f"attention-{item.objective_id}")

    st.subheader(_("Objectives"))
    for card in view.objectives:
        st.markdown(f"{ui.status_text(card.status)} **{card.title}**", unsafe_allow_html=True)
        if card.crisis:
            st.error(_("Crisis: {crisis}").format(crisis=card.crisis), icon="🚨")
        st.caption(
            " · ".join(x for x in (card.category, card.owner) if x)
            + f" · {day_month(card.start)} – {date_short(card.end)} · {card.reason}"
        )
    ui.download_csv(
        overview.objectives_table(view), "scorecard", _("Download the scorecard as CSV")
    )

    st.subheader(_("KPIs"))
    st.radio(
        _("Tiles compare with"),
        [N_("previous period"), N_("same period last year")],
        format_func=bound(_),
        horizontal=True,
        key="overview-compare",
    )
    st.caption(_("Sparklines show whole weeks (Monday–Sunday); the current part-week is left out."))
    tiles = [(card, tile) for card in view.objectives for tile in card.tiles]
    for row in range(0, len(tiles), 4):
        for column, (card, tile) in zip(st.columns(4), tiles[row : row + 4], strict=False):
            with column:
                st.caption(card.title)
                ui.kpi_tile(tile, view.currency)
                ui.open_kpi(card.id, tile.index, key=f"open-{card.id}-{tile.index}")

    st.subheader(_("What changed since last week"))
    st.caption(
        _(
            "The last 7 days ({first} – {last}) against the 7 days before, with each metric's "
            "own aggregation."
        ).format(first=day_month(as_of - pd.Timedelta(days=6)), last=day_month(as_of))
    )
    ui.dataframe(overview.changes_table(view), hide_index=True, width="stretch")
    ui.download_csv(view.changes, "changes-since-last-week")
