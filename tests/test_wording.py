"""The wording catalog: every key renders, every key is used, every call fills exactly its placeholders,
and no Chinese sentence hides in the code outside the catalog."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from dialogs.wording import WordingError, catalog, placeholders, t

ROOT = Path(__file__).resolve().parent.parent
CODE = ("bot", "dialogs", "exporters")
# The words printed on the forms are the notice's own: they stay with the exporters, exactly as printed.
# the form itself: what the builders print and the reader recognises (附件1 labels, part headings), not messages
EXEMPT = ("exporters/", "bot/reading/")
# Modules whose literals are still waiting to move into the catalog; this list only ever shrinks.
NOT_YET: frozenset[str] = frozenset()
CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff01-\uff5e]")


def _modules() -> Iterator[tuple[str, ast.Module]]:
    for folder in CODE:
        for path in sorted((ROOT / folder).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            yield rel, ast.parse(path.read_text(encoding="utf-8"), filename=rel)


def _docstrings(tree: ast.Module) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def _is_lookup(node: ast.Call) -> bool:
    func = node.func
    return (isinstance(func, ast.Name) and func.id == "t") or (isinstance(func, ast.Attribute) and func.attr == "t")


def test_every_key_renders() -> None:
    assert catalog(), "the catalog is empty"
    for key, template in catalog().items():
        text = t(key, **{name: "X" for name in placeholders(template)})
        assert text.strip(), key
        assert "{" not in text.replace("{{", "") or "{" in template.replace("{{", ""), key


def test_unknown_key_and_missing_placeholder_are_errors() -> None:
    with pytest.raises(WordingError):
        t("no.such.key")
    with_placeholder = next(k for k, v in catalog().items() if placeholders(v))
    with pytest.raises(WordingError):
        t(with_placeholder)


def test_every_call_names_a_key_and_fills_exactly_its_placeholders() -> None:
    problems = []
    for rel, tree in _modules():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _is_lookup(node) and node.args):
                continue
            first = node.args[0]
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                continue  # a computed key: its candidates must stand as literals elsewhere (checked below)
            key = first.value
            if key not in catalog():
                problems.append(f"{rel}:{node.lineno}: unknown key {key}")
                continue
            if any(k.arg is None for k in node.keywords):
                continue  # **values: checked when rendered
            given = {k.arg for k in node.keywords if k.arg}
            wanted = placeholders(catalog()[key])
            if given != wanted:
                problems.append(f"{rel}:{node.lineno}: {key} wants {sorted(wanted)}, given {sorted(given)}")
    assert not problems, "\n".join(problems)


def test_every_key_is_used() -> None:
    literals: set[str] = set()
    for _, tree in _modules():
        literals |= {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    unused = sorted(k for k in catalog() if k not in literals)
    assert not unused, "keys no code uses:\n" + "\n".join(unused)


def test_no_chinese_literal_outside_the_catalog() -> None:
    found = []
    for rel, tree in _modules():
        if rel.startswith(EXEMPT) or rel in NOT_YET:
            continue
        docs = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
                if CJK.search(node.value):
                    found.append(f"{rel}:{node.lineno}: {node.value[:40]!r}")
    assert not found, "Chinese text outside the wording catalog:\n" + "\n".join(found)
