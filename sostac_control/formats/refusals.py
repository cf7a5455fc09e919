"""Files that look like exports but hold no performance data: recognised only to be refused.

A Google Ads Editor export lists campaign settings (budgets, bid strategies, keywords, ad
texts), not results. Audience splits (followers or viewers by gender, age, territory, country
or city) are shares of an audience at one moment, without dates; loading them as metrics would
be nonsense. Each is refused with a sentence saying what it is.
"""

from __future__ import annotations

from sostac_control.errors import SostacError
from sostac_control.formats.base import Detection, Extract, Format, ReadOptions, Source
from sostac_control.formats.table import norm, rows_of
from sostac_control.i18n import N_, _

EDITOR_COLUMNS = frozenset(
    {
        "campaign type",
        "networks",
        "languages",
        "bid strategy type",
        "budget type",
        "campaign status",
        "ad group type",
        "ad group status",
        "criterion type",
        "final url",
        "headline 1",
        "headline 2",
        "description line 1",
        "description 1",
        "max cpc",
        "ad schedule",
        "targeting method",
        "exclusion method",
        "keyword status",
        "label",
        "campaign subtype",
        "ad rotation",
        "delivery method",
        "start date",
        "end date",
    }
)
AUDIENCE_DIMENSIONS = frozenset(
    {
        "gender",
        "age",
        "age range",
        "age group",
        "territory",
        "territories",
        "top territories",
        "country",
        "countries",
        "top countries",
        "city",
        "cities",
        "top cities",
        "location",
        "geslacht",
        "leeftijd",
        "leeftijdsgroep",
        "land",
        "landen",
        "stad",
        "steden",
        "regio",
        "locatie",
        "gender and age",
        "age and gender",
        "leeftijd en geslacht",
    }
)
AUDIENCE_VALUES = (
    "distribution",
    "share",
    "percentage",
    "followers",
    "viewers",
    "audience",
    "verdeling",
    "aandeel",
    "volgers",
    "kijkers",
    "women",
    "men",
    "female",
    "male",
    "vrouwen",
    "mannen",
    "%",
)
DATES = frozenset({"date", "datum", "day", "dag", "reporting starts", "week", "month"})


class GoogleAdsEditorExport(Format):
    name = "google_ads_editor"
    platform = "Google Ads Editor"
    title = "account export (campaign settings)"
    channel = "google_ads"
    grain = "window"
    refusal = N_(
        "it lists campaign settings (budgets, bid strategies, keywords, ad texts), not "
        "results; download a campaign report from the Google Ads website (Reports, or "
        "Campaigns → Download) for impressions, clicks and cost."
    )

    def detect(self, source: Source) -> Detection | None:
        if source.kind != "text":
            return None
        rows = rows_of(source)[""]
        if not rows:
            return None
        names = {norm(c) for c in rows[0]}
        if "campaign" in names and len(names & EDITOR_COLUMNS) >= 3:
            return Detection(0.9, "Google Ads Editor settings columns")
        return None

    def read(self, source: Source, options: ReadOptions) -> Extract:
        raise SostacError(f"{source.name}: {_(self.refusal)}")


class AudienceSplit(Format):
    name = "audience_split"
    platform = "social platform"
    title = "audience split"
    channel = ""
    grain = "day"
    refusal = N_(
        "it describes who the audience is (shares by gender, age, territory, country or "
        "city, without dates), not how content performed over time, so it is not loaded."
    )

    def detect(self, source: Source) -> Detection | None:
        for rows in rows_of(source).values():
            for row in rows[:3]:
                names = [norm(c) for c in row if c is not None and str(c).strip()]
                if not names or names[0] not in AUDIENCE_DIMENSIONS:
                    continue
                if set(names) & DATES:
                    return None
                if any(word in name for name in names[1:] for word in AUDIENCE_VALUES):
                    return Detection(0.8, f"an audience split by {names[0]}")
        return None

    def read(self, source: Source, options: ReadOptions) -> Extract:
        raise SostacError(f"{source.name}: {_(self.refusal)}")


FORMATS: list[Format] = [GoogleAdsEditorExport(), AudienceSplit()]
