"""Export files written by the tests themselves, in the platforms' formats, quirks included.

One writer family: each writer makes one file laid out as the platform writes it (encoding,
preamble, description rows, quoting, number and date styles, UTF-16 TAB, BOMs, Total rows,
Excel serial dates, Dutch headers…) and returns its path, so a test states exactly what is in
the file and what must come out. One module per platform family; `totals` and `values` read
back what landed in the database.
"""

from __future__ import annotations

from tests.support.exports.ads import (
    AdRow,
    google_ads_by_day,
    google_ads_csv,
    google_ads_utf16_tab,
    meta_ads_csv,
    meta_ads_dutch_csv,
    meta_ads_xlsx,
    write_google_ads,
    write_meta_ads,
)
from tests.support.exports.analytics import (
    ga4_by_date,
    ga4_csv,
    ga4_two_dimensions,
    ua_xlsx,
    write_ga4_blocks,
)
from tests.support.exports.common import Post, totals, values
from tests.support.exports.linkedin import (
    linkedin_campaign_manager,
    linkedin_content_dutch_xlsx,
    linkedin_page_xlsx,
)
from tests.support.exports.meta import (
    write_legacy_page,
    write_legacy_posts,
    write_legacy_posts_spreadsheetml,
    write_mbs_posts,
    write_page_series,
)
from tests.support.exports.refused import (
    audience_by_country_dutch,
    audience_by_gender,
    google_ads_editor,
)
from tests.support.exports.tiktok import (
    tiktok_content,
    tiktok_content_of,
    tiktok_follower_history,
    tiktok_overview,
    tiktok_viewers,
    tiktok_zip,
    write_tiktok_overview,
)
from tests.support.exports.x import (
    write_daily_tweet_activity,
    write_tweet_activity,
    write_x_content,
)
from tests.support.exports.youtube import (
    write_youtube_content,
    youtube_chart_data,
    youtube_table_by_date,
    youtube_table_content,
    youtube_table_geography,
    youtube_totals,
)

__all__ = [
    "AdRow",
    "Post",
    "audience_by_country_dutch",
    "audience_by_gender",
    "ga4_by_date",
    "ga4_csv",
    "ga4_two_dimensions",
    "google_ads_by_day",
    "google_ads_csv",
    "google_ads_editor",
    "google_ads_utf16_tab",
    "linkedin_campaign_manager",
    "linkedin_content_dutch_xlsx",
    "linkedin_page_xlsx",
    "meta_ads_csv",
    "meta_ads_dutch_csv",
    "meta_ads_xlsx",
    "tiktok_content",
    "tiktok_content_of",
    "tiktok_follower_history",
    "tiktok_overview",
    "tiktok_viewers",
    "tiktok_zip",
    "totals",
    "ua_xlsx",
    "values",
    "write_daily_tweet_activity",
    "write_ga4_blocks",
    "write_google_ads",
    "write_legacy_page",
    "write_legacy_posts",
    "write_legacy_posts_spreadsheetml",
    "write_mbs_posts",
    "write_meta_ads",
    "write_page_series",
    "write_tiktok_overview",
    "write_tweet_activity",
    "write_x_content",
    "write_youtube_content",
    "youtube_chart_data",
    "youtube_table_by_date",
    "youtube_table_content",
    "youtube_table_geography",
    "youtube_totals",
]
