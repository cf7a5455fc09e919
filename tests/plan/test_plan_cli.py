"""`plan validate`, `plan init`, `plan schema`: exit codes, JSON documents, the schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from sostac_control.cli import main
from sostac_control.ingest import ingest_paths
from sostac_control.plan.example import EXAMPLE_PLAN
from sostac_control.plan.load import parse_plan
from sostac_control.plan.schema import plan_schema

BROKEN = """\
version: 1
name: Koffiebar Noord
objectives:
  - id: awareness
    title: Grow awareness
    start: 2026-07-01
    end: 2026-09-30
    kpis:
      - metric: engagement_rate
        channel: instagam
        target: 4.5
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_init_writes_a_commented_example_that_validates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "data" / "plan.yaml"
    code, out, _ = run(capsys, "plan", "init", str(path))
    assert code == 0 and "created" in out
    assert path.read_text(encoding="utf-8") == EXAMPLE_PLAN
    assert EXAMPLE_PLAN.count("#") > 30  # commented for a reader
    code, out, _ = run(capsys, "plan", "validate", str(path))
    assert code == 0
    assert out.startswith(f"valid    {path}: 3 objectives, 8 KPIs, 3 budget lines")


def test_init_refuses_to_overwrite_an_existing_plan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text("mine: true\n", encoding="utf-8")
    code, _, err = run(capsys, "plan", "init", str(path))
    assert code == 1
    assert "never overwrites" in err
    assert path.read_text(encoding="utf-8") == "mine: true\n"
    code, out, _ = run(capsys, "plan", "init", str(path), "--json")
    assert code == 1 and json.loads(out) == {"file": str(path), "status": "refused"}


def test_init_uses_sostac_plan_when_no_path_is_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOSTAC_PLAN", str(tmp_path / "from-env.yaml"))
    assert run(capsys, "plan", "init")[0] == 0
    assert (tmp_path / "from-env.yaml").exists()


def test_init_dash_prints_the_example(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "plan", "init", "-")
    assert code == 0 and out == EXAMPLE_PLAN


def test_validate_lists_every_problem_with_line_and_hint_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    code, out, _ = run(capsys, "plan", "validate", str(path))
    assert code == 1
    assert "invalid" in out and "2 problems" in out
    assert "line 10" in out and "Did you mean 'instagram'?" in out
    assert "line 11" in out and "write 0.045" in out


def test_validate_json_prints_one_document_with_the_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    code, out, err = run(capsys, "plan", "validate", str(path), "--json")
    assert code == 1 and err == ""
    document = json.loads(out)
    assert document["valid"] is False
    assert [(p["line"], p["column"]) for p in document["problems"]] == [
        (10, "objectives[0].kpis[0].channel"),
        (11, "objectives[0].kpis[0].target"),
    ]
    assert all(p["hint"] for p in document["problems"])
    assert "smart" not in document


def test_validate_exits_2_when_the_plan_cannot_be_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "plan", "validate", str(tmp_path / "missing.yaml"))
    assert code == 2 and out == ""
    assert "no plan file" in err and "plan init" in err
    binary = tmp_path / "plan.yaml"
    binary.write_bytes(b"\xff\xfe\x00version: 1")
    code, out, _ = run(capsys, "plan", "validate", str(binary), "--json")
    assert code == 2
    assert json.loads(out)["readable"] is False


def test_validate_with_db_adds_the_smart_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], write_tidy, db: Path
) -> None:
    rows = [
        (f"2026-07-0{d}", "instagram", "impressions", 1000 * d, "koffiebarnoord")
        for d in range(1, 8)
    ]
    ingest_paths([write_tidy(rows)], db)
    path = tmp_path / "plan.yaml"
    path.write_text(EXAMPLE_PLAN, encoding="utf-8")
    code, out, _ = run(capsys, "plan", "validate", str(path), "--db", str(db), "--json")
    assert code == 0
    smart = json.loads(out)["smart"]
    assert len(smart) == 15  # five criteria for each of three objectives
    measurable = {f["objective"]: f for f in smart if f["criterion"] == "measurable"}
    assert measurable["awareness-instagram"]["status"] == "missing"
    assert "engagements" in measurable["awareness-instagram"]["message"]
    assert "Impressions" not in measurable["awareness-instagram"]["message"]
    code, out, _ = run(capsys, "plan", "validate", str(path), "--db", str(db))
    assert code == 0  # SMART is advice: it does not fail a valid plan
    assert "SMART check against" in out and "Measurable: No data yet" in out


def test_schema_is_a_valid_json_schema_that_accepts_the_example_plan(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "plan", "schema")
    assert code == 0
    schema = json.loads(out)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    assert list(validator.iter_errors(as_editor_sees(EXAMPLE_PLAN))) == []


def as_editor_sees(text: str) -> object:
    """The YAML as a JSON-based editor sees it: dates are text."""
    return json.loads(json.dumps(yaml.safe_load(text), default=str))


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("target: 0.045", "target: 4.5"), "4.5 is greater than the maximum of 1"),
        (("metric: followers", "metric: folowers"), "'folowers' is not one of"),
        (("owner: Marketing lead", "ownr: Marketing lead"), "'ownr' was unexpected"),
        (("denominator: reach", "denominator: clicks"), "'clicks' is not one of"),
        (("version: 1", "version: 2"), "1 was expected"),
    ],
)
def test_schema_refuses_what_validate_refuses(change: tuple[str, str], expected: str) -> None:
    text = EXAMPLE_PLAN.replace(*change, 1)
    assert text != EXAMPLE_PLAN
    with pytest.raises(Exception):  # noqa: B017 - the plan check refuses it too
        parse_plan(text)
    errors = jsonschema.Draft202012Validator(plan_schema()).iter_errors(as_editor_sees(text))
    assert any(expected in e.message for e in errors), [e.message for e in errors]
