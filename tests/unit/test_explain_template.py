"""The explain template's pieces against kubectl's own template tests
(staging/src/k8s.io/kubectl/pkg/explain/v2/templates/plaintext_test.go) and go-wordwrap's behaviour."""

from __future__ import annotations

import pytest

from minikctl.printers.explain import _Explainer, wrap


@pytest.mark.parametrize("enum,long_view,limit,indent,want", [
    ([], False, 0, 0, ""),
    ([0, 1, 2, 3], True, 0, 0, "ENUM:\n    0\n    1\n    2\n    3"),
    ([0, 1, 2, 3], False, 0, 2, "\n  enum: 0, 1, 2, 3"),
    ([0, 1, 2, 3], False, 2, 2, "\n  enum: 0, 1, ...."),
    ([0, 1, 2, 3], True, 2, 2, "ENUM:\n    0\n    1, ...."),
    (["Block", "File", ""], True, 0, 0, 'ENUM:\n    Block\n    File\n    ""'),
])
def test_extract_enum(enum, long_view, limit, indent, want):
    schema = {"type": "string", "description": "a description that should not be printed", "enum": enum}
    assert _Explainer.extract_enum(schema, long_view, limit, indent) == want


def test_field_detail_required_and_indent():
    ex = _Explainer({}, False)
    schema = {"properties": {"thefield": {"type": "string"}}, "required": ["thefield"]}
    assert ex.field_detail("thefield", schema, True, 5) == "          thefield\t<string> -required-\n"
    assert ex.field_detail("thefield", schema, False, 1) == "  thefield\t<string> -required-\n    <no description>\n\n"


@pytest.mark.parametrize("text,limit,want", [
    ("foo bar baz", 7, "foo bar\nbaz"),
    ("a verylongwordindeed b", 5, "a\nverylongwordindeed\nb"),
    ("keep\n\nparagraphs  apart", 80, "keep\n\nparagraphs  apart"),
    ("trailing   \nspaces", 8, "trailing\nspaces"),
    ("x\u00a0y z", 3, "x\u00a0y\nz"),  # a no-break space does not break
    ("anything", 0, "anything"),
])
def test_wrap_as_go_wordwrap(text, limit, want):
    assert wrap(limit, text) == want
