"""Plan files, hostile and clumsy: each is a plan or a list of problems with lines — never a
crash of the process (libyaml segfaults on deep nesting), never a traceback."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sostac_control.plan.check import check_plan_text
from sostac_control.plan.example import EXAMPLE_PLAN
from tests.robust.figures import CLI, FIGURES

EXAMPLES = int(os.environ.get("SOSTAC_ROBUST_EXAMPLES", "300"))

ATTACKS = {
    "nested brackets 200 KB": "a: " + "[" * 100_000 + "]" * 100_000,
    "nested braces": "a: " + "{a: " * 5_000 + "1" + "}" * 5_000,
    "deep indentation": "".join(" " * i + "k:\n" for i in range(2_000)),
    "deep list items": "".join("  " * i + "- \n" for i in range(2_000)),
    "alias inside itself": "a: &x [*x]",
    "merge key of itself": "a: &x\n  <<: *x\n  b: 1",
    "alias bomb": "\n".join(
        ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        + [
            f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]"
            for i in range(8)
        ]
    ),
    "100,000-digit target": EXAMPLE_PLAN.replace("target: 450000", "target: " + "9" * 100_000),
    "huge float": EXAMPLE_PLAN.replace("target: 450000", "target: 1e999999"),
    "python tag": "version: 1\nname: !!python/object/apply:os.system ['true']",
    "3 MB of comments": "version: 1\n" + "# x\n" * 800_000,
    "NUL bytes": EXAMPLE_PLAN.replace("version", "ver\x00sion", 1),
    "tabs": EXAMPLE_PLAN.replace("  ", "\t"),
}


def test_each_plan_attack_is_refused_by_validate_without_a_crash(tmp_path: Path) -> None:
    for name, text in ATTACKS.items():
        path = tmp_path / "plan.yaml"
        path.write_text(text, encoding="utf-8")
        done = subprocess.run(
            [*CLI, "plan", "validate", str(path)], capture_output=True, text=True, timeout=120
        )
        FIGURES["plan attacks tried"] += 1
        if done.returncode not in (0, 1, 2) or "Traceback" in done.stderr:
            FIGURES["crashes"] += 1
        assert done.returncode in (1, 2), (name, done.returncode, done.stderr[-2000:])
        assert "Traceback" not in done.stderr, (name, done.stderr[-2000:])


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(data=st.data())
def test_mutated_plans_are_plans_or_problems_with_lines(data) -> None:
    text = EXAMPLE_PLAN
    for _ in range(data.draw(st.integers(1, 4), label="edits")):
        at = data.draw(st.integers(0, len(text)), label="at")
        edit = data.draw(st.sampled_from(["cut", "insert", "delete", "repeat"]), label="edit")
        if edit == "cut":
            text = text[:at]
        elif edit == "insert":
            text = (
                text[:at] + data.draw(st.text(st.sampled_from("[]{}&*!:-#'\"\n 9|>"))) + text[at:]
            )
        elif edit == "delete":
            text = text[:at] + text[at + data.draw(st.integers(1, 40)) :]
        else:
            text = text[:at] + text[at : at + 200] * data.draw(st.integers(2, 20)) + text[at:]
    FIGURES["plan mutations tried"] += 1
    plan, problems = check_plan_text(text, "plan.yaml")
    assert (plan is None) == bool(problems)
    for problem in problems:
        assert problem.message
