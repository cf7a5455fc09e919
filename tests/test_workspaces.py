"""The workspace registry, roles checked in the domain layer, who did it, and `workspace move`
between a DuckDB file and DuckLake with equal totals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sostac_control import access, store
from sostac_control.cli import main
from sostac_control.dbfile import LakeStore
from sostac_control.errors import SostacError
from sostac_control.ingest import ingest_paths
from sostac_control.plan.edit import plan_tables, save_plan_edits, save_plan_upload
from sostac_control.plan.example import EXAMPLE_PLAN
from sostac_control.store.copy import totals
from sostac_control.workspaces import load_registry

REGISTRY = """default = "koffiebar"

[workspaces.koffiebar]
title = "Koffiebar Noord"
plan = "koffiebar/plan.yaml"
db = "koffiebar/sostac.duckdb"
[workspaces.koffiebar.roles]
"Lead@Agency.example" = "admin"
"sam@agency.example" = "editor"
"client@koffiebar.example" = "viewer"

[workspaces.acme]
plan = "acme/plan.yaml"
db = "acme/sostac.duckdb"
[workspaces.acme.roles]
"lead@agency.example" = "admin"
"""


ALERTS = """
alerts:
  destinations:
    - {name: team-slack, type: slack, url_env: SLACK_WEBHOOK_URL}
  rules:
    - {name: drifting, announce: [off_track], level: kpi, send_to: [team-slack]}
"""


@pytest.fixture
def registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "workspaces.toml"
    path.write_text(REGISTRY, encoding="utf-8")
    monkeypatch.setenv("SOSTAC_WORKSPACES", str(path))
    monkeypatch.delenv("SOSTAC_WORKSPACE", raising=False)
    return path


def _csv(tmp_path: Path, value: int = 100) -> Path:
    path = tmp_path / f"tidy{value}.csv"
    path.write_text(
        "date,channel,metric,value,account\n"
        f"2026-07-01,instagram,impressions,{value},kbn\n2026-07-02,instagram,impressions,50,kbn\n",
        encoding="utf-8",
    )
    return path


def test_registry_names_workspaces_relative_to_its_folder_with_roles_in_lower_case(registry):
    reg = load_registry()
    ws = reg.get(None)
    assert ws.name == "koffiebar" and ws.store == registry.parent / "koffiebar/sostac.duckdb"
    assert ws.roles["lead@agency.example"] == "admin"
    with pytest.raises(SostacError, match="no workspace 'nope'") as caught:
        reg.get("nope")
    assert "acme, koffiebar" in caught.value.hint


def test_without_a_registry_the_single_file_default_stays(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOSTAC_WORKSPACES", raising=False)
    monkeypatch.delenv("SOSTAC_DB", raising=False)
    ws = load_registry().get(None)
    assert (ws.name, ws.store, ws.plan) == (
        "default",
        Path("data/sostac.duckdb"),
        Path("data/plan.yaml"),
    )


def test_a_bad_role_is_a_clear_error_naming_the_workspace(registry):
    registry.write_text(REGISTRY.replace('= "viewer"', '= "owner"'), encoding="utf-8")
    with pytest.raises(SostacError, match=r"role 'owner' of client@koffiebar\.example"):
        load_registry()


def test_a_user_sees_only_the_workspaces_they_have_a_role_in(registry):
    reg = load_registry()
    names = lambda email: [ws.name for ws in access.visible_workspaces(reg, email)]  # noqa: E731
    assert names("client@koffiebar.example") == ["koffiebar"]
    assert names("LEAD@agency.example") == ["koffiebar", "acme"]
    assert names("stranger@example.com") == []
    assert names(None) == ["koffiebar", "acme"]  # the local single user


def test_a_viewer_calling_ingest_gets_a_product_error_and_nothing_is_stored(registry, tmp_path):
    ws = load_registry().get("koffiebar")
    with access.signed_in(ws, "client@koffiebar.example"), pytest.raises(access.AccessDenied):
        ingest_paths([_csv(tmp_path)], ws.store)
    assert not Path(ws.store).exists()


def test_an_editor_loads_and_undoes_and_the_log_names_them(registry, tmp_path):
    ws = load_registry().get("koffiebar")
    with access.signed_in(ws, "sam@agency.example"):
        [result] = ingest_paths([_csv(tmp_path)], ws.store)
        store.undo_load(ws.store, result.load_id or 0)
    [entry] = store.load_history(ws.store)
    assert (entry["actor"], entry["removed_by"]) == ("sam@agency.example", "sam@agency.example")


def test_a_viewer_cannot_undo(registry, tmp_path):
    ws = load_registry().get("koffiebar")
    [result] = ingest_paths([_csv(tmp_path)], ws.store)  # the local user may
    assert store.load_history(ws.store)[0]["actor"].startswith("local")
    with access.signed_in(ws, "client@koffiebar.example"), pytest.raises(access.AccessDenied):
        store.undo_load(ws.store, result.load_id or 0)
    assert store.load_history(ws.store)[0]["status"] == "loaded"


def test_an_editor_edits_the_plan_but_only_an_admin_changes_alert_rules(registry):
    ws = load_registry().get("koffiebar")
    ws.plan.parent.mkdir(parents=True, exist_ok=True)
    ws.plan.write_text(EXAMPLE_PLAN, encoding="utf-8")
    tables = plan_tables(EXAMPLE_PLAN)
    with_alerts = EXAMPLE_PLAN + ALERTS
    with access.signed_in(ws, "sam@agency.example"):
        assert save_plan_edits(ws.plan, tables) == []
        with pytest.raises(access.AccessDenied, match="change alert rules"):
            save_plan_upload(ws.plan, with_alerts.encode())
    assert "\nalerts:" not in ws.plan.read_text(encoding="utf-8")  # refused: nothing written
    with access.signed_in(ws, "lead@agency.example"):
        assert save_plan_upload(ws.plan, with_alerts.encode()) == []
    with access.signed_in(ws, "client@koffiebar.example"), pytest.raises(access.AccessDenied):
        save_plan_edits(ws.plan, tables)


def test_cli_workspace_option_reads_the_registry_store(registry, tmp_path, capsys):
    assert main(["ingest", "--workspace", "acme", str(_csv(tmp_path)), "--json"]) == 0
    capsys.readouterr()
    assert main(["loads", "--workspace", "acme", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["source"] == "tidy100.csv"
    assert main(["loads", "--workspace", "nope"]) == 2
    assert "no workspace 'nope'" in capsys.readouterr().err


def test_workspace_list_names_store_and_roles(registry, capsys):
    assert main(["workspace", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["workspaces"]
    assert [w["name"] for w in listed] == ["koffiebar", "acme"]
    assert listed[0]["default"] and listed[0]["roles"]["sam@agency.example"] == "editor"


def test_move_to_ducklake_and_back_keeps_loads_versions_and_undo(
    registry, tmp_path, lake_store: LakeStore, capsys
):
    ws = load_registry().get("koffiebar")
    ingest_paths([_csv(tmp_path, 100)], ws.store)
    [newer] = ingest_paths([_csv(tmp_path, 140)], ws.store)  # replaces one value
    with store.reader(ws.store) as con:
        before = totals(con)
    code = main(["workspace", "move", "koffiebar", "--to", "ducklake", "--catalog",
                 lake_store.catalog, "--data-path", lake_store.data_path])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    moved = load_registry().get("koffiebar")
    assert moved.store == lake_store and moved.roles == ws.roles
    assert registry.with_name("workspaces.toml.bak").exists()
    with store.reader(lake_store) as con:
        assert totals(con) == before
    store.undo_load(lake_store, newer.load_id or 0)  # versions came along: the old value is back
    with store.reader(lake_store) as con:
        assert con.execute("SELECT sum(value) FROM metric_values").fetchone() == (150.0,)
    [again] = ingest_paths([_csv(tmp_path, 170)], lake_store)
    assert again.load_id == 3  # ids continue after the copied ones

    back = tmp_path / "back.duckdb"
    assert main(["workspace", "move", "koffiebar", "--to", "duckdb", "--db", str(back)]) == 0
    assert load_registry().get("koffiebar").store == back
    with store.reader(lake_store) as lake_con, store.reader(back) as file_con:
        assert totals(file_con) == totals(lake_con)
    [fourth] = ingest_paths([_csv(tmp_path, 180)], back)
    assert fourth.load_id == 4  # the file's sequence continues after the copied ids


def test_move_refuses_a_target_that_holds_data(registry, tmp_path, capsys):
    ws = load_registry().get("koffiebar")
    ingest_paths([_csv(tmp_path)], ws.store)
    full = tmp_path / "full.duckdb"
    ingest_paths([_csv(tmp_path)], full)
    full_copy = tmp_path / "other.duckdb"
    assert main(["workspace", "move", "koffiebar", "--to", "duckdb", "--db", str(full)]) == 2
    assert "exists already" in capsys.readouterr().err
    assert not full_copy.exists() and load_registry().get("koffiebar").store == ws.store


def test_a_workspace_names_its_own_api_sources_and_fetch_reads_them(registry, capsys):
    registry.write_text(
        REGISTRY.replace(
            'plan = "acme/plan.yaml"', 'plan = "acme/plan.yaml"\nsources = "acme/api.yaml"'
        ),
        encoding="utf-8",
    )
    ws = load_registry().get("acme")
    assert ws.sources == registry.parent / "acme/api.yaml"
    assert main(["fetch", "--list", "--workspace", "acme"]) == 2
    assert f"no source config at {ws.sources}" in capsys.readouterr().err
