"""The generic :class:`Registry` (issue 19) and the recognizer registry built on it."""

from __future__ import annotations

import pytest
from vner.rules.registry import Registry, UnknownNameError, get_recognizer_class, recognizer_classes


def _reg() -> Registry[object]:
    reg: Registry[object] = Registry("widget")

    @reg.register("b.v1")
    def b_v1() -> None:
        """Bee, version one.

        More text that help() leaves out.
        """

    reg.add("a.v1", object())
    return reg


def test_register_get_names_in_order() -> None:
    reg = _reg()
    assert reg.names() == ("b.v1", "a.v1")
    assert reg.get("b.v1").__name__ == "b_v1"  # type: ignore[attr-defined]
    assert reg["a.v1"] is reg.get("a.v1")
    assert "a.v1" in reg and "zz" not in reg and len(reg) == 2 and list(reg) == ["b.v1", "a.v1"]


def test_register_returns_the_object_unchanged() -> None:
    reg: Registry[object] = Registry("widget")

    def f() -> int:
        return 1

    assert reg.register("f.v1")(f) is f
    assert reg.add("g.v1", f) is f


def test_unknown_name_lists_the_known_ones() -> None:
    reg = _reg()
    with pytest.raises(KeyError) as ei:
        reg.get("c.v1")
    assert isinstance(ei.value, UnknownNameError)
    assert str(ei.value) == "unknown widget 'c.v1'; known: a.v1, b.v1"
    with pytest.raises(KeyError, match="known: a.v1, b.v1"):
        reg["c.v1"]


def test_duplicate_registration_fails() -> None:
    reg = _reg()
    with pytest.raises(ValueError, match="widget 'a.v1' registered twice"):
        reg.add("a.v1", 1)
    with pytest.raises(ValueError, match="registered twice"):
        reg.register("b.v1")(lambda: None)
    assert reg.names() == ("b.v1", "a.v1")


def test_empty_name_rejected() -> None:
    with pytest.raises(ValueError):
        Registry[int]("widget").add("", 1)


def test_help_is_first_docstring_line() -> None:
    reg = _reg()
    assert reg.help("b.v1") == "Bee, version one."
    reg.add("nodoc", 3)
    assert reg.help("nodoc") == int.__doc__.strip().splitlines()[0].strip()  # type: ignore[union-attr]
    reg2: Registry[object] = Registry("widget")

    def undocumented() -> None:
        pass

    reg2.add("u", undocumented)
    assert reg2.help("u") == ""
    with pytest.raises(KeyError, match="unknown widget 'zz'"):
        reg.help("zz")


def test_recognizers_resolve_by_name_and_unknown_lists_known() -> None:
    classes = recognizer_classes()
    assert isinstance(classes, Registry)
    assert get_recognizer_class("pattern") is classes["pattern"]
    assert {"pattern", "money", "temporal"} <= set(classes.names())
    with pytest.raises(KeyError, match=r"unknown recognizer 'nope'; known: .*money.*pattern"):
        get_recognizer_class("nope")
