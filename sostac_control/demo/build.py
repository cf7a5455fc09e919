"""The demo workspace: a plan and 26 weeks of exports for a fictional Dutch coffee bar.

`build_demo()` generates the numbers (numpy, seeded: the same seed and as-of date give the same
bytes), writes them as the platforms' own export files (demo/exports.py), writes a plan whose
targets are set against those numbers so that the demo shows every status worth seeing (on
track, drifting off track after a sudden drop, achieved, a ratio KPI, a lower-is-better KPI),
and loads the files through the real ingest path, exactly as a user's files would be loaded.

A channel whose export format no importer recognises yet is loaded from a tidy CSV holding the
same numbers instead, and the result says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from sostac_control.dbfile import StoreRef
from sostac_control.demo import exports as ex
from sostac_control.demo.data import ACCOUNTS, BRAND, HANDLE, DemoData, generate, months, tidy_rows
from sostac_control.demo.plan import PLAN_MARKER, plan_text
from sostac_control.errors import SostacError
from sostac_control.formats import Source, detect_format
from sostac_control.ingest import IngestResult, ingest_paths


@dataclass
class DemoResult:
    """What the demo wrote and loaded."""

    db: StoreRef
    plan: Path
    exports: Path
    as_of: date
    results: list[IngestResult] = field(default_factory=list)
    fallbacks: dict[str, str] = field(default_factory=dict)  # channel -> why tidy CSV was used


# --- writing and loading ----------------------------------------------------------------------


def write_exports(data: DemoData, folder: Path) -> dict[str, list[Path]]:
    """Write every demo export in its platform's format; returns the files per channel."""
    folder.mkdir(parents=True, exist_ok=True)
    first, last = data.days[0].date(), data.days[-1].date()
    span = f"{first:%b-%d-%Y}_{last:%b-%d-%Y}"
    daily = data.facebook_daily.set_index("day")
    ga4 = data.ga4_daily
    ga4_days = ga4.groupby("day", as_index=False).sum(numeric_only=True)
    files: dict[str, list[Path]] = {
        "facebook": [
            ex.write_facebook_posts(folder / f"facebook_posts_{span}.csv", "104857600123456",
                                    BRAND, data.facebook_posts),
            *(
                ex.write_facebook_page_series(folder / f"facebook_{name}_{span}.csv", title,
                                              daily[column])
                for name, title, column in (
                    ("views", "Views", "views"),
                    ("reach", "Reach", "reach"),
                    ("follows", "Facebook follows", "follows"),
                    ("interactions", "Content interactions", "interactions"),
                )
            ),
        ],
        "instagram": [
            ex.write_instagram_posts(folder / f"instagram_posts_{span}.csv", "17841400123456789",
                                     HANDLE, BRAND, data.instagram_posts),
        ],
        "x": [ex.write_x_content(folder / f"account_analytics_content_{first}_{last}.csv",
                                 HANDLE, data.x_posts)],
        "linkedin": [
            ex.write_linkedin_content(folder / f"koffiebar-noord_content_{last:%Y%m%d}.xlsx",
                                      BRAND, data.linkedin_daily, data.linkedin_posts),
        ],
        "website": [
            ex.write_ga4_by_date(folder / f"ga4_sessions_by_date_{first:%Y%m%d}-{last:%Y%m%d}.csv",
                                 BRAND, ACCOUNTS["website"], first, last, ga4_days),
            *(
                ex.write_ga4_traffic(folder / f"ga4_traffic_acquisition_{start:%Y%m}.csv", BRAND,
                                     ACCOUNTS["website"], start, end, _between(ga4, start, end))
                for start, end in months(data.days)
            ),
        ],
        "meta_ads": [ex.write_meta_ads(folder / f"{HANDLE}-Ads-{span}.csv", data.ads)],
    }  # fmt: skip
    return files


def _between(ga4: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """GA4's channel groups summed over start–end."""
    rows = ga4[(ga4["day"] >= pd.Timestamp(start)) & (ga4["day"] <= pd.Timestamp(end))]
    return rows.groupby("group", as_index=False).sum(numeric_only=True)


def _real_format_missing(files: list[Path]) -> str:
    """Why these files cannot be loaded in their real format yet ('' when they can)."""
    for path in files:
        try:
            fmt, _ = detect_format(Source(path.name, path.read_bytes()))
        except SostacError:
            return f"no importer recognises {path.name} yet"
        if fmt.name == "tidy_csv" or fmt.refusal:
            return f"{path.name} is recognised as {fmt.name}, which does not load it"
    return ""


def build_demo(
    db: StoreRef,
    plan: Path,
    *,
    as_of: date | None = None,
    seed: int = 7,
    exports: Path | None = None,
) -> DemoResult:
    """Write the demo plan and exports, and load the exports into `db` through ingest."""
    as_of = as_of or date.today()
    if exports is None:
        beside = db if isinstance(db, Path) else Path(db.data_path.split("://")[-1])
        exports = beside.parent / "demo_exports"
    if plan.exists() and not plan.read_text(encoding="utf-8").startswith(PLAN_MARKER):
        raise SostacError(
            f"{plan} exists and is not a demo plan; the demo will not overwrite it.",
            hint="Pass --plan with another path (and --db with another database) for the demo.",
        )
    data = generate(as_of, seed)
    tidy = tidy_rows(data)
    files = write_exports(data, exports)
    result = DemoResult(db=db, plan=plan, exports=exports, as_of=as_of)
    for channel, paths in files.items():
        missing = _real_format_missing(paths)
        if missing:
            fallback = ex.write_tidy(exports / f"tidy_{channel}.csv", tidy[channel])
            result.fallbacks[channel] = missing
            paths = [fallback]
        loaded = ingest_paths(paths, db, command="demo")
        refused = [r for r in loaded if r.status != "loaded"]
        if refused and not missing:
            fallback = ex.write_tidy(exports / f"tidy_{channel}.csv", tidy[channel])
            result.fallbacks[channel] = f"{refused[0].file} was refused: {refused[0].message}"
            loaded += ingest_paths([fallback], db, command="demo")
        result.results.extend(loaded)
    plan.parent.mkdir(parents=True, exist_ok=True)
    plan.write_text(plan_text(as_of, tidy), encoding="utf-8")
    return result
