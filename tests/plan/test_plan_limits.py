"""Plan files beyond a bound are refused with the bound and a line, never a crash."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from sostac_control.plan.check import check_plan_text
from sostac_control.plan.limits import PLAN_MAX_DIGITS, PLAN_MAX_VALUES

ALIAS_BOMB = "\n".join(
    ["version: 1", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]"
        for i in range(8)
    ]
)
PLAN_WITH_TARGET = """version: 1
name: x
objectives:
  - id: a
    title: t
    category: sell
    start: 2026-01-01
    end: 2026-02-01
    kpis:
      - metric: impressions
        channel: instagram
        target: {target}
"""


def only_problem(text: str):
    plan, problems = check_plan_text(text, "plan.yaml")
    assert plan is None
    assert len(problems) == 1, problems
    return problems[0]


def test_deeply_nested_brackets_crash_neither_validate_nor_the_upload(tmp_path: Path) -> None:
    # 200 KB of [[[…]]] segfaulted libyaml's composer (exit -11), taking the server with it.
    plan = tmp_path / "deep.yaml"
    plan.write_text("a: " + "[" * 100_000 + "]" * 100_000 + "\n")
    cli = [sys.executable, "-m", "sostac_control", "plan", "validate", str(plan)]
    done = subprocess.run(cli, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done.stderr
    assert "nested more than" in done.stdout and "Traceback" not in done.stderr
    upload = (
        "from pathlib import Path; from sostac_control.plan.edit import save_plan_upload; "
        f"print(save_plan_upload(Path({str(tmp_path / 'used.yaml')!r}), "
        f"Path({str(plan)!r}).read_bytes())[0].message)"
    )
    done = subprocess.run([sys.executable, "-c", upload], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "nested more than 24 levels" in done.stdout


def test_deep_indentation_is_refused_with_its_line() -> None:
    problem = only_problem("".join(" " * i + "k:\n" for i in range(200)))
    assert "nested more than" in problem.message and problem.line == 25


def test_an_anchor_inside_itself_is_refused_not_a_recursion_error() -> None:
    problem = only_problem("version: 1\na: &x [*x]\n")
    assert "nested more than" in problem.message
    assert "anchor used inside itself" in problem.hint


def test_an_alias_bomb_is_refused_quickly_naming_the_limit() -> None:
    started = time.monotonic()
    problem = only_problem(ALIAS_BOMB)
    assert f"{PLAN_MAX_VALUES:,} values" in problem.message
    assert time.monotonic() - started < 30  # was 73 s and 4.5 GB


def test_too_many_aliases_are_refused() -> None:
    text = "version: 1\nx: &x 1\nlist: [" + ", ".join(["*x"] * 300) + "]\n"
    assert "aliases" in only_problem(text).message


def test_a_number_of_100000_digits_is_refused_with_its_line() -> None:
    problem = only_problem(PLAN_WITH_TARGET.format(target="9" * 100_000))
    assert f"more than {PLAN_MAX_DIGITS} digits" in problem.message and problem.line == 12


def test_a_long_number_in_quotes_is_text_not_a_refusal() -> None:
    _, problems = check_plan_text(PLAN_WITH_TARGET.format(target='"' + "9" * 40 + '"'), "p")
    assert all("digits" not in p.message for p in problems)


@pytest.mark.parametrize("size", [2_000_001, 3_000_000])
def test_a_plan_over_the_size_bound_is_refused(size: int) -> None:
    problem = only_problem("version: 1\n# " + "x" * size + "\n")
    assert "a plan may be at most 2,000,000 bytes" in problem.message


def test_a_normal_plan_is_within_every_bound() -> None:
    from sostac_control.plan.example import EXAMPLE_PLAN

    plan, problems = check_plan_text(EXAMPLE_PLAN, "example")
    assert problems == [] and plan is not None
