"""API sources: pull metrics from platform APIs into the same store as the exports.

`sources.py` reads the source config, `http.py` is the polite session, `meta.py`, `youtube.py`
and `generic.py` turn answers into chunks of canonical rows, and `fetch.py` loads them through
the store's one door (`store.record_load`), like a file.

May import: store, formats (the row shapes), catalog, errors. Never the engine, views, ui or cli.
"""
