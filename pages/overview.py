"""Overview: the plan's objectives with their KPIs and the actual values so far."""

import streamlit as st

st.title("Overview")
st.info("The Overview page is being built.")
