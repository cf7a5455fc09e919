"""The source config: which APIs to fetch from, read from a small YAML file.

`data/sources.yaml` unless `--sources` or SOSTAC_SOURCES says otherwise:

    sources:
      - name: koffiebar-facebook      # what `fetch NAME` calls it
        type: meta_page               # meta_page, meta_posts, instagram, meta_ads, youtube, json
        id: "104729384756"            # page id, Instagram user id, ad account id, channel id
        account: koffiebarnoord       # the account name your exports use (default: the id)
        token_env: META_PAGE_TOKEN    # the environment variable (or secrets key) with the token
        lookback_days: 3              # re-fetch this many days before the last loaded one
                                      # (default 3; 28 for meta_posts and instagram)
        base_url: https://graph.facebook.com/v23.0   # optional: a proxy, sandbox or test server
        # optional:
        initial_days: 90              # the first fetch without --since goes this far back
        metrics: [page_media_view, page_follows]   # platform metric names instead of defaults
        timezone: Europe/Amsterdam    # the day a post's publish time falls on (default UTC)
        timeout_seconds: 30           # per request
        total_time_seconds: 900       # the whole fetch
        max_pages: 2000               # guard against endless paging

Tokens never live in this file: only the *name* of an environment variable, whose value is read
from the environment or from `.streamlit/secrets.toml`.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sostac_control.api.http import HttpPolicy
from sostac_control.catalog import CHANNELS, METRICS, closest
from sostac_control.errors import Problem, SostacError
from sostac_control.i18n import _

DEFAULT_SOURCES = Path("data/sources.yaml")
SOURCE_TYPES = ("meta_page", "meta_posts", "instagram", "meta_ads", "youtube", "json")
GRAPH_URL = "https://graph.facebook.com/v23.0"
DEFAULT_BASE_URLS = {
    "meta_page": GRAPH_URL,
    "meta_posts": GRAPH_URL,
    "instagram": GRAPH_URL,
    "meta_ads": GRAPH_URL,
    "youtube": "https://youtubeanalytics.googleapis.com/v2",
}
CHANNEL_OF_TYPE = {
    "meta_page": "facebook",
    "meta_posts": "facebook",
    "instagram": "instagram",
    "meta_ads": "meta_ads",
    "youtube": "youtube",
}
# Days re-fetched before the last loaded one: platforms revise recent days, and a post's
# lifetime values keep growing for weeks after it was published.
LOOKBACK_DAYS = {"meta_posts": 28, "instagram": 28}
_COMMON_KEYS = {
    "name",
    "type",
    "id",
    "account",
    "base_url",
    "token_env",
    "lookback_days",
    "initial_days",
    "metrics",
    "timezone",
    "timeout_seconds",
    "total_time_seconds",
    "max_pages",
}
# The generic JSON source's own keys (see sostac_control.api.generic).
JSON_KEYS = {
    "url",
    "params",
    "auth_header",
    "auth_scheme",
    "records",
    "date_field",
    "date_format",
    "channel",
    "channel_field",
    "account_field",
    "item_field",
    "fields",
    "pagination",
    "since_param",
    "until_param",
}


@dataclass(frozen=True)
class SourceConfig:
    """One configured API source."""

    name: str
    type: str
    id: str = ""
    account: str = ""
    base_url: str = ""
    token_env: str = ""
    lookback_days: int = 3  # 28 for meta_posts and instagram (LOOKBACK_DAYS)
    initial_days: int = 90  # the first fetch, without --since, goes this far back
    metrics: tuple[str, ...] = ()  # platform metric names to request; () means the defaults
    timezone: str = "UTC"  # for publish times of posts
    policy: HttpPolicy = field(default_factory=HttpPolicy)
    options: dict[str, Any] = field(default_factory=dict)  # type-specific keys (json)

    @property
    def channel(self) -> str:
        return CHANNEL_OF_TYPE.get(self.type) or str(self.options.get("channel", ""))

    @property
    def account_name(self) -> str:
        return self.account or self.id

    @property
    def load_source(self) -> str:
        """How the ingest log names loads from this source."""
        return f"api:{self.name}"

    def describe(self) -> dict[str, Any]:
        """What `fetch --list` shows: never a token, only where it comes from."""
        return {
            "name": self.name,
            "type": self.type,
            "id": self.id,
            "account": self.account_name,
            "channel": self.channel or "(per record)",
            "base_url": self.base_url,
            "token_env": self.token_env,
            "token_set": bool(self.token_env) and token_available(self.token_env),
            "lookback_days": self.lookback_days,
        }


def default_sources_path() -> Path:
    """SOSTAC_SOURCES, else data/sources.yaml."""
    return Path(os.environ.get("SOSTAC_SOURCES") or DEFAULT_SOURCES)


def load_sources(path: Path | str | None = None) -> list[SourceConfig]:
    """Read and check the source config; a SostacError lists every problem found."""
    p = Path(path) if path is not None else default_sources_path()
    if not p.exists():
        raise SostacError(
            _("There is no source config at {path}.").format(path=p),
            hint=_(
                "Write one (see the README's API section for an example) or point "
                "--sources / SOSTAC_SOURCES at it."
            ),
        )
    if p.stat().st_size > 1_000_000:  # a config of a few sources is a few KB
        raise SostacError(
            _("{path} is {size} bytes; a source config may be at most 1,000,000.").format(
                path=p, size=f"{p.stat().st_size:,}"
            ),
            hint=_("List the API sources only; one `- name: …` entry per source."),
        )
    try:
        document = yaml.safe_load(p.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SostacError(
            _("{path} is not valid YAML: {reason}").format(path=p, reason=exc),
            hint=_("Fix the YAML syntax (indentation, colons, quotes)."),
        ) from exc
    except RecursionError as exc:  # [[[[… nested thousands of levels deep
        raise SostacError(
            _("{path} is nested too deeply to read.").format(path=p),
            hint=_("A source config needs three levels (sources → source → field)."),
        ) from exc
    entries = document.get("sources") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise SostacError(
            _("{path} has no `sources:` list.").format(path=p),
            hint=_("Start the file with `sources:` and one `- name: …` per source."),
        )
    problems: list[Problem] = []
    sources: list[SourceConfig] = []
    for i, entry in enumerate(entries):
        found = _read_source(entry, f"sources[{i}]", str(p), problems)
        if found is not None:
            sources.append(found)
    names = [s.name for s in sources]
    for name in {n for n in names if names.count(n) > 1}:
        problems.append(
            Problem(
                _("the name {name} is used twice").format(name=repr(name)),
                _("Give each source its own name."),
                file=str(p),
                column="sources",
            )
        )
    if problems:
        raise SostacError(
            _("{path}: {n} problem(s) in the source config.").format(path=p, n=len(problems)),
            hint=_("Fix each field listed."),
            problems=problems,
        )
    return sources


def get_source(name: str, path: Path | str | None = None) -> SourceConfig:
    """The configured source called `name`."""
    sources = load_sources(path)
    for source in sources:
        if source.name == name:
            return source
    names = [s.name for s in sources]
    near = closest(name, names)
    raise SostacError(
        (
            _("There is no source called {name}; did you mean {near}?")
            if near
            else _("There is no source called {name}.")
        ).format(name=repr(name), near=", ".join(near)),
        hint=_("Configured sources: {names} (`fetch --list`).").format(
            names=", ".join(names) or _("none")
        ),
    )


def _read_source(entry: Any, where: str, file: str, problems: list[Problem]) -> SourceConfig | None:
    def problem(column: str, message: str, hint: str = "") -> None:
        problems.append(Problem(message, hint, file=file, column=f"{where}.{column}"))

    if not isinstance(entry, dict):
        problems.append(
            Problem(_("a source must be a mapping of settings"), file=file, column=where)
        )
        return None
    kind = entry.get("type")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        problem("name", _("every source needs a name"), _("Add `name: my-source`."))
        return None
    if kind not in SOURCE_TYPES:
        problem(
            "type",
            _("unknown source type {kind}").format(kind=repr(kind)),
            _("Use one of: {names}").format(names=", ".join(SOURCE_TYPES)),
        )
        return None
    allowed = _COMMON_KEYS | (JSON_KEYS if kind == "json" else set())
    for key in entry:
        if key not in allowed:
            near = closest(str(key), sorted(allowed))
            problem(
                str(key),
                _("unknown setting {key}").format(key=repr(key)),
                _("Did you mean {near}?").format(near=near[0]) if near else _("Remove it."),
            )
    ident = str(entry.get("id", "") or "").strip()
    if kind != "json" and not ident:
        problem(
            "id",
            _("a {kind} source needs an id (page, user, ad account or channel id)").format(
                kind=kind
            ),
        )
    base_url = str(entry.get("base_url") or DEFAULT_BASE_URLS.get(kind, "")).rstrip("/")
    if kind == "json" and not (entry.get("url") or base_url):
        problem("url", _("a json source needs a url"))
    token_env = str(entry.get("token_env", "") or "")
    if kind != "json" and not token_env:
        problem(
            "token_env",
            _("name the environment variable that holds the token"),
            _("Add `token_env: META_TOKEN` and set that variable (or secrets.toml key)."),
        )
    if kind == "json":
        channel = entry.get("channel")
        if channel is not None and channel not in CHANNELS:
            problem(
                "channel",
                _("unknown channel {channel}").format(channel=repr(channel)),
                _("Use one of: {names}").format(names=", ".join(CHANNELS)),
            )
        if channel is None and not entry.get("channel_field"):
            problem("channel", _("a json source needs `channel:` or `channel_field:`"))
        fields = entry.get("fields")
        if not isinstance(fields, dict) or not fields:
            problem(
                "fields",
                _("map the record's fields to canonical metrics"),
                _("e.g. `fields: {impressionCount: impressions, clickCount: clicks}`"),
            )
        else:
            loadable = [n for n, m in METRICS.items() if not m.is_ratio]
            for field_path, metric in fields.items():
                if metric not in loadable:
                    problem(
                        f"fields.{field_path}",
                        _("{metric} is not a metric that can be loaded").format(
                            metric=repr(metric)
                        ),
                        _(
                            "Use one of: {names}. Ratios (engagement_rate, ctr, cpc, …) are "
                            "computed from their parts: load the parts."
                        ).format(names=", ".join(loadable)),
                    )
        if not entry.get("date_field"):
            problem("date_field", _("name the field that holds the date"))

    def number(key: str, default: float, kind_: type = int) -> Any:
        value = entry.get(key, default)
        try:
            result = kind_(value)
        except (TypeError, ValueError):
            problem(key, _("{value} is not a number").format(value=repr(value)))
            return default
        if result < 0:
            problem(key, _("must not be negative"))
            return default
        return result

    policy = HttpPolicy(
        timeout_s=number("timeout_seconds", 30.0, float),
        total_time_s=number("total_time_seconds", 900.0, float),
        max_pages=number("max_pages", 2000),
    )
    metrics = entry.get("metrics") or ()
    if isinstance(metrics, str):
        metrics = [m.strip() for m in metrics.split(",") if m.strip()]
    return SourceConfig(
        name=name.strip(),
        type=str(kind),
        id=ident,
        account=str(entry.get("account", "") or ""),
        base_url=base_url,
        token_env=token_env,
        lookback_days=number("lookback_days", LOOKBACK_DAYS.get(str(kind), 3)),
        initial_days=number("initial_days", 90),
        metrics=tuple(str(m) for m in metrics),
        timezone=str(entry.get("timezone", "UTC")),
        policy=policy,
        options={k: v for k, v in entry.items() if k in JSON_KEYS},
    )


def _secrets_files() -> list[Path]:
    return [Path.cwd() / ".streamlit" / "secrets.toml", Path.home() / ".streamlit" / "secrets.toml"]


def _secret_from_files(name: str) -> str | None:
    for path in _secrets_files():
        if not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError):
            continue
        value = data.get(name)
        if isinstance(value, str) and value:
            return value
    return None


def token_available(token_env: str) -> bool:
    return bool(os.environ.get(token_env) or _secret_from_files(token_env))


def read_token(source: SourceConfig) -> str:
    """The source's token from its environment variable, else from .streamlit/secrets.toml."""
    if not source.token_env:
        return ""
    token = os.environ.get(source.token_env) or _secret_from_files(source.token_env)
    if not token:
        raise SostacError(
            _(
                "{source}: no token: the environment variable {env} is not set and "
                ".streamlit/secrets.toml has no key of that name."
            ).format(source=source.name, env=source.token_env),
            hint=_(
                'Set it, e.g. `export {env}=…`, or add `{env} = "…"` to .streamlit/secrets.toml '
                "(never to sources.yaml)."
            ).format(env=source.token_env),
        )
    return token.strip()


def token_hint(source: SourceConfig) -> str:
    """How to put a renewed token in place, for error hints."""
    if not source.token_env:
        return ""
    return _(
        "set it in the environment variable {env} (or the key of that name in "
        ".streamlit/secrets.toml)"
    ).format(env=source.token_env)
