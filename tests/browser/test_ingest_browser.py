"""The Data page in the real app and headless Chromium: upload several files, see, undo."""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from sostac_control.store import load_history
from tests.support.browser import screenshot, start_server, wait_for_app
from tests.support.exports import Post, write_mbs_posts, write_tweet_activity

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_upload_csv_and_zip_then_undo_a_load(chromium_browser, tmp_path: Path) -> None:
    db = tmp_path / "sostac.duckdb"
    posts = write_mbs_posts(
        tmp_path / "fb_posts.csv", [Post("1", datetime(2025, 3, 1, 9), {"reach": 10, "views": 30})]
    )
    tweets = write_tweet_activity(
        tmp_path / "tweets.csv",
        [Post("1432793754507923461", datetime(2021, 8, 31), {"impressions": 9})],
    )
    archive = tmp_path / "month.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.write(tweets, "tweets.csv")
        bundle.writestr("notes.txt", "meeting notes\n")
    server = start_server(db, tmp_path / "plan.yaml", tmp_path / "streamlit.log")
    context = chromium_browser.new_context(viewport={"width": 1400, "height": 1600})
    try:
        page = context.new_page()
        page.set_default_timeout(90_000)
        page.goto(f"{server.url}/data", wait_until="domcontentloaded")
        wait_for_app(page)
        assert "Nothing loaded yet" in page.inner_text("body")
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
            [str(posts), str(archive)]
        )
        page.get_by_role("button", name="Load files").click()
        page.get_by_text("2 of 3 file(s) loaded.").wait_for()
        wait_for_app(page)
        body = page.inner_text("body")
        assert "month.zip/notes.txt was refused" in body
        assert "fb_posts.csv: Meta Business Suite, meta_fb_posts" in body
        screenshot(page, "data-upload")
        assert [h["source"] for h in load_history(db)] == ["month.zip/tweets.csv", "fb_posts.csv"]
        page.get_by_role("button", name="Undo").first.click()
        page.get_by_text("Load #2 removed").wait_for()
        assert [h["status"] for h in load_history(db)] == ["removed", "loaded"]
    finally:
        context.close()
        server.stop()
