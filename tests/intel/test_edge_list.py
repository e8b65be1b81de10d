"""Edge list input: comments, junk, self-loops and empty files name the line."""

from __future__ import annotations

import pytest

from corridor.intel.graph import EdgeListError, parse_edge_list


def test_comments_and_blank_lines_are_ignored():
    parsed = parse_edge_list(lines=["# ties seen in 2025", "", "a b  # phone", "   ", "b\tc"])
    assert parsed.pairs == [("a", "b"), ("b", "c")]
    assert parsed.bad_lines == []


def test_junk_line_names_its_number():
    with pytest.raises(EdgeListError) as error:
        parse_edge_list(lines=["a b", "", "a b c"])
    assert error.value.line_number == 3
    assert "line 3" in str(error.value)


def test_single_field_line_is_junk():
    with pytest.raises(EdgeListError, match="line 2"):
        parse_edge_list(lines=["a b", "lonely"])


def test_self_loop_names_its_line():
    with pytest.raises(EdgeListError, match="line 2: self-loop"):
        parse_edge_list(lines=["a b", "c c"])


def test_empty_file_is_an_error():
    with pytest.raises(EdgeListError, match="no edge"):
        parse_edge_list(lines=[])
    with pytest.raises(EdgeListError, match="no edge"):
        parse_edge_list(lines=["# only a comment", ""])


def test_skip_bad_reports_every_bad_line():
    parsed = parse_edge_list(lines=["a b", "junk", "c c", "b c"], skip_bad=True)
    assert parsed.pairs == [("a", "b"), ("b", "c")]
    assert [(b.line_number, b.text) for b in parsed.bad_lines] == [(2, "junk"), (4 - 1, "c c")]
