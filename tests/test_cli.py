"""The command line starts at once: only the command that runs imports its modules."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from sostac_control.cli import COMMANDS, build_parser, main


def _commands(parser: argparse.ArgumentParser) -> dict[str, str | None]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {choice.dest: choice.help for choice in action._choices_actions}


def test_the_overview_lists_every_command_with_the_line_its_module_gives() -> None:
    registered = _commands(build_parser())
    assert registered == {name: line for name, (_, line) in COMMANDS.items()}
    for name, (module_name, _) in COMMANDS.items():
        assert name in _commands(build_parser(name)), f"{module_name} does not register {name}"


def test_help_imports_neither_pandas_nor_duckdb_nor_the_engine() -> None:
    probe = (
        "import sys\n"
        "from sostac_control.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = [m for m in ('pandas', 'duckdb', 'numpy', 'sostac_control.engine.status',\n"
        "         'sostac_control.store') if m in sys.modules]\n"
        "print('heavy:', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert "usage: sostac-control" in out.stdout
    assert "status" in out.stdout and "is each objective on track?" in out.stdout
    assert out.stdout.strip().endswith("heavy: []")


def test_a_command_still_has_its_own_options_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["status", "--help"])
    assert info.value.code == 0
    assert "--fail-on" in capsys.readouterr().out


def test_a_mistyped_command_is_bad_usage(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["statsu"])
    assert info.value.code == 2
    assert "invalid choice: 'statsu'" in capsys.readouterr().err
