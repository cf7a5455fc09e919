"""Reading plan YAML with lines: the fast line reader must agree with a real YAML reader."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import yaml

from sostac_control.plan.example import EXAMPLE_PLAN
from sostac_control.plan.yaml import (
    UnsafeTag,
    YamlList,
    YamlMap,
    YamlSyntaxError,
    _LineReader,
    _Unsupported,
    read_yaml,
)


def plain(value: Any) -> Any:
    """The same data without line information, to compare with yaml.safe_load."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


# Texts the line reader reads itself; each must come out exactly as PyYAML reads it.
LINE_READER_TEXTS = [
    EXAMPLE_PLAN,
    "a: 1\nb: 0.5\nc: -3\nd: 2026-07-01\ne: yes\nf: ~\ng: null\nh:\ni: 1_000\nj: 0o17\n",
    "k: 012\nl: .5\nm: 1e5\nn: 1.0e+5\no: .inf\nq: 10:30\nr: NO\ns: On\n",
    "title: 'It''s ok' # comment\nname: \"Koffie: lekker #1\"\nurl: http://x.nl/a#b\n",
    "list: [a, 'b c', \"d\", 1, 2026-01-01, bestel nu]\nempty: []\n",
    "top:\n- a\n- b\nnext:\n  - c\n  -\n    x: 1\n  - y: 2\n    z: 3\n",
    "---\n# only a comment\nversion: 1\nobjectives:\n  - id: a   # trailing\n\n    kpis:\n",
    "crlf: 1\r\nb:\r\n  c: 2\r\n",
    "- 1\n- two\n",
]


@pytest.mark.parametrize("text", LINE_READER_TEXTS)
def test_line_reader_reads_plain_block_yaml_as_pyyaml_does(text: str) -> None:
    assert plain(_LineReader(text).read()) == yaml.safe_load(text)


# Texts the line reader leaves to PyYAML (and read_yaml still reads them right).
PYYAML_TEXTS = [
    "a: &x 1\nb: *x\n",
    "base: &b {x: 1}\nobj:\n  <<: *b\n  y: 2\n",
    "text: |\n  line one\n  line two\n",
    "text: folded\n  continues here\n",
    "flow: {a: 1, b: [2, 3]}\n",
    "'quoted key': 1\n",
    'esc: "tab\\there"\n',
    "list: [a, [b]]\n",
    "list:\n  - - nested\n",
    "a: 1\n...\n",
    "key : spaced\n",
]


@pytest.mark.parametrize("text", PYYAML_TEXTS)
def test_other_yaml_is_left_to_pyyaml_and_read_the_same(text: str) -> None:
    with pytest.raises(_Unsupported):
        _LineReader(text).read()
    assert plain(read_yaml(text)) == yaml.safe_load(text)


def test_lines_of_keys_and_items_are_one_based() -> None:
    root = read_yaml("# c\nversion: 1\nobjectives:\n  - id: a\n    kpis:\n      - metric: x\n")
    assert isinstance(root, YamlMap)
    assert root.key_lines == {"version": 2, "objectives": 3}
    objectives = root["objectives"]
    assert isinstance(objectives, YamlList) and objectives.item_lines == [4]
    assert objectives[0].key_lines == {"id": 4, "kpis": 5}
    assert objectives[0]["kpis"].item_lines == [6]


def test_lines_agree_between_line_reader_and_pyyaml_path() -> None:
    text = "a: 1\nb:\n  - x: 1\n    y: &anchor 2\n  - x: 3\n"  # the anchor sends it to PyYAML
    root = read_yaml(text)
    assert root["b"].item_lines == [3, 5]
    assert root["b"][0].key_lines == {"x": 3, "y": 4}


def test_repeated_keys_are_kept_for_the_checks() -> None:
    for text in ("a: 1\nb: 2\na: 3\n", "a: 1\nb: &x 2\na: 3\n"):
        root = read_yaml(text)
        assert root.duplicates == [("a", 3)]


def test_tags_are_never_constructed() -> None:
    root = read_yaml("a: !!python/object/apply:os.system ['true']\nb: !custom {x: 1}\n")
    assert root["a"] == UnsafeTag("tag:yaml.org,2002:python/object/apply:os.system")
    assert isinstance(root["b"], UnsafeTag)


def test_syntax_error_has_a_line() -> None:
    with pytest.raises(YamlSyntaxError) as caught:
        read_yaml("a: 1\nb: [unclosed\nc: 3\n")
    assert caught.value.line is not None and caught.value.line >= 2


def test_dates_and_invalid_dates() -> None:
    root = read_yaml("start: 2026-07-01\nend: 2026-02-30\n")
    assert root["start"] == date(2026, 7, 1)
    assert root["end"] == "2026-02-30"  # looks like a date, is not one: the checks say so


# Words chosen to trip a YAML reader: booleans, octal, floats without a dot, dates, comments.
TRICKY = [
    "yes",
    "No",
    "on",
    "OFF",
    "y",
    "n",
    "true",
    "null",
    "~",
    "0",
    "012",
    "0x1F",
    "1_000",
    "-5",
    "+3",
    "0.5",
    ".5",
    "1e5",
    "1.0e+5",
    ".inf",
    "-.inf",
    ".nan",
    "2026-07-01",
    "2026-02-30",
    "2026-07-01 10:00:00",
    "10:30",
    "a b",
    "x#y",
    "x #y",
    "koffie: lekker",
    "'single'",
    '"double"',
    "'it''s'",
    "[a, b]",
    "[1, 'x y', \"z\"]",
    "[]",
    "#tag",
    "- item",
    "a:",
    "@at",
    "%p",
    "<<",
    "=",
    "Europe/Amsterdam",
    "€ 3.000,50",
    "4,5%",
    "http://x.nl/a#b",
]


def _block(value: Any, indent: int) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict | list) and item:
                lines.append(f"{pad}{key}:")
                lines += _block(item, indent + 2)
            else:
                lines.append(f"{pad}{key}: {item}  # note")
    else:
        for item in value:
            if isinstance(item, dict) and item:
                inner = _block(item, indent + 2)
                lines.append(f"{pad}- {inner[0].lstrip()}")
                lines += inner[1:]
            elif isinstance(item, list) and item:
                lines.append(f"{pad}-")
                lines += _block(item, indent + 2)
            else:
                lines.append(f"{pad}- {item}")
    return lines


def _documents():
    from hypothesis import strategies as st

    scalars = st.sampled_from(TRICKY)
    # Keys are kept as written ('on' stays 'on', where PyYAML makes it True): plain ones only.
    keys = st.sampled_from(["id", "title", "target", "start", "kpis", "a_b"])
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.dictionaries(keys, inner, min_size=1, max_size=4),
            st.lists(inner, min_size=1, max_size=3),
        ),
        max_leaves=12,
    ).filter(lambda v: isinstance(v, dict))


def test_line_reader_never_disagrees_with_pyyaml() -> None:
    from hypothesis import given, settings

    @settings(max_examples=300, deadline=None)
    @given(_documents())
    def check(document: dict[str, Any]) -> None:
        text = "\n".join(["# generated", *_block(document, 0)]) + "\n"
        try:
            ours = _LineReader(text).read()
        except _Unsupported:
            return  # PyYAML reads it instead
        try:
            theirs = yaml.safe_load(text)
        except (yaml.YAMLError, ValueError):
            return  # a bare '<<', 2026-02-30: PyYAML fails; we keep the text, the checks name it
        assert plain(ours) == theirs, text

    check()
