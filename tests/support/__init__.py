"""Test helpers: the fake API server, the browser driver and the export-file writers."""
