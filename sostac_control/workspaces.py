"""The workspace registry: which workspaces a server serves, where their data lives, who may
do what in each. A small TOML file (SOSTAC_WORKSPACES, else data/workspaces.toml):

    default = "koffiebar"                  # the workspace shown when none is chosen

    [workspaces.koffiebar]
    title = "Koffiebar Noord"              # shown in the sidebar (default: the name)
    plan = "data/koffiebar/plan.yaml"
    sources = "data/koffiebar/sources.yaml" # its API sources (optional)
    db = "data/koffiebar/sostac.duckdb"    # a DuckDB file …

    [workspaces.koffiebar.roles]           # e-mail → viewer | editor | admin
    "lead@agency.example" = "admin"

    [workspaces.acme]
    plan = "data/acme/plan.yaml"
    [workspaces.acme.ducklake]             # … or DuckLake with a PostgreSQL catalog
    catalog = "host=127.0.0.1 port=5432 dbname=acme user=sostac"
    data_path = "/srv/sostac/lake/acme/"

Relative paths are relative to the registry's folder. Without a registry there is one
workspace, "default": data/sostac.duckdb (SOSTAC_DB) and data/plan.yaml (SOSTAC_PLAN), as
always. Passwords stay out of the file: libpq reads PGPASSWORD or ~/.pgpass.
May import: errors, dbfile (the standard library only: the CLI reads this before `--help`).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from sostac_control.dbfile import LakeStore, StoreRef, default_db_path
from sostac_control.errors import SostacError

DEFAULT_REGISTRY = Path("data/workspaces.toml")
DEFAULT_NAME = "default"
ROLES = ("viewer", "editor", "admin")  # each role may do what the ones before it may


@dataclass(frozen=True)
class Workspace:
    """One client or brand: a plan, its data (a DuckDB file or a DuckLake store), its roles."""

    name: str
    plan: Path
    store: StoreRef
    title: str = ""
    roles: dict[str, str] = field(default_factory=dict)  # e-mail (lower case) → role
    sources: Path | None = None  # its API sources (default: SOSTAC_SOURCES/data/sources.yaml)

    @property
    def shown_title(self) -> str:
        return self.title or self.name

    @property
    def backend(self) -> str:
        return "ducklake" if isinstance(self.store, LakeStore) else "duckdb"


@dataclass(frozen=True)
class Registry:
    """The workspaces of a server; `path` None means the zero-configuration default."""

    workspaces: dict[str, Workspace]
    default: str
    path: Path | None = None

    def get(self, name: str | None) -> Workspace:
        """A workspace by name (None: the default); a clear error naming the known ones."""
        wanted = name or self.default
        if wanted in self.workspaces:
            return self.workspaces[wanted]
        where = f"in {self.path}" if self.path else "(there is no workspace registry)"
        raise SostacError(
            f"There is no workspace {wanted!r} {where}.",
            hint="Known workspaces: "
            + ", ".join(sorted(self.workspaces))
            + ". `sostac-control workspace list` shows them; a registry is described in the "
            "README's deployment section.",
        )


def registry_path() -> Path:
    return Path(os.environ.get("SOSTAC_WORKSPACES") or DEFAULT_REGISTRY)


def default_registry() -> Registry:
    """No registry file: the one local workspace from SOSTAC_DB/SOSTAC_PLAN or the defaults."""
    plan = Path(os.environ.get("SOSTAC_PLAN") or "data/plan.yaml")
    only = Workspace(DEFAULT_NAME, plan, default_db_path(), title="")
    return Registry({DEFAULT_NAME: only}, DEFAULT_NAME, None)


def load_registry(path: Path | None = None) -> Registry:
    """The registry file (SOSTAC_WORKSPACES, else data/workspaces.toml), or the default."""
    path = path or registry_path()
    if not path.exists():
        if os.environ.get("SOSTAC_WORKSPACES"):
            raise SostacError(
                f"The workspace registry {path} (SOSTAC_WORKSPACES) does not exist.",
                hint="Create it (see the README's deployment section) or unset SOSTAC_WORKSPACES.",
            )
        return default_registry()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SostacError(
            f"The workspace registry {path} is not valid TOML: {exc}.",
            hint="Fix the line named; the README's deployment section shows an example.",
        ) from exc
    base = path.parent
    entries = data.get("workspaces")
    if not isinstance(entries, dict) or not entries:
        raise SostacError(
            f"The workspace registry {path} names no workspaces.",
            hint='Add a section such as [workspaces.mybrand] with plan = "…" and db = "…".',
        )
    workspaces = {name: _workspace(name, entry, base, path) for name, entry in entries.items()}
    default = str(data.get("default") or sorted(workspaces)[0])
    if default not in workspaces:
        raise SostacError(
            f"The workspace registry {path} names default = {default!r}, which it does not define.",
            hint="Set default to one of: " + ", ".join(sorted(workspaces)) + ".",
        )
    return Registry(workspaces, default, path)


def _workspace(name: str, entry: object, base: Path, path: Path) -> Workspace:
    def bad(what: str) -> SostacError:
        return SostacError(
            f"Workspace {name!r} in {path}: {what}.",
            hint="Each workspace needs plan = PATH and either db = PATH or a [workspaces."
            f"{name}.ducklake] section with catalog and data_path.",
        )

    if not isinstance(entry, dict):
        raise bad("it is not a section")
    if "plan" not in entry:
        raise bad("plan is missing")
    lake = entry.get("ducklake")
    store: StoreRef
    if lake is not None:
        if not isinstance(lake, dict) or not lake.get("catalog") or not lake.get("data_path"):
            raise bad("its ducklake section needs catalog and data_path")
        data_path = str(lake["data_path"])
        if "://" not in data_path:
            data_path = str(_within(base, data_path)).rstrip("/") + "/"
        store = LakeStore(str(lake["catalog"]), data_path)
    elif entry.get("db"):
        store = _within(base, str(entry["db"]))
    else:
        raise bad("it names neither db nor a ducklake section")
    roles = {}
    for email, role in dict(entry.get("roles") or {}).items():
        if role not in ROLES:
            raise bad(f"role {role!r} of {email} is not one of {', '.join(ROLES)}")
        roles[str(email).strip().lower()] = str(role)
    sources = _within(base, str(entry["sources"])) if entry.get("sources") else None
    return Workspace(name, _within(base, str(entry["plan"])), store, str(entry.get("title", "")),
                     roles, sources)  # fmt: skip


def _within(base: Path, text: str) -> Path:
    candidate = Path(text).expanduser()
    return candidate if candidate.is_absolute() else base / candidate


def chosen_name(given: str | None = None) -> str | None:
    """The workspace asked for: --workspace, else SOSTAC_WORKSPACE, else None (the default)."""
    return given or os.environ.get("SOSTAC_WORKSPACE") or None


def to_toml(registry: Registry) -> str:
    """The registry as TOML (what `workspace move` writes back)."""
    lines = [
        "# sostac-control workspace registry (see the README's deployment section).",
        "# Rewritten by `sostac-control workspace move`; the previous version is kept as .bak.",
        f"default = {_q(registry.default)}",
    ]
    base = registry.path.parent if registry.path else Path()
    for ws in registry.workspaces.values():
        lines += ["", f"[workspaces.{_key(ws.name)}]"]
        if ws.title:
            lines.append(f"title = {_q(ws.title)}")
        lines.append(f"plan = {_q(_relative(ws.plan, base))}")
        if ws.sources:
            lines.append(f"sources = {_q(_relative(ws.sources, base))}")
        if isinstance(ws.store, LakeStore):
            lines += [
                f"[workspaces.{_key(ws.name)}.ducklake]",
                f"catalog = {_q(ws.store.catalog)}",
                f"data_path = {_q(ws.store.data_path)}",
            ]
        else:
            lines.append(f"db = {_q(_relative(ws.store, base))}")
        if ws.roles:
            lines.append(f"[workspaces.{_key(ws.name)}.roles]")
            lines += [f"{_q(email)} = {_q(role)}" for email, role in ws.roles.items()]
    return "\n".join(lines) + "\n"


def _relative(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _key(name: str) -> str:
    return name if name.replace("-", "").replace("_", "").isalnum() else _q(name)
