"""``corridor network stats``: JSON and text output, and bad input that names the line."""

from __future__ import annotations

import json
from pathlib import Path

from corridor.intel.network_cli import main

DATA = Path(__file__).parent / "data"


def test_stats_json_reproduces_the_mexico_paper(capsys):
    code = main(
        [
            "stats",
            "--edges",
            str(DATA / "mexico-trafficking-edges.txt"),
            "--json",
            "--key-players",
            "6",
        ]
    )
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    assert result["n_nodes"] == 34
    assert result["n_edges"] == 225
    assert round(result["density"], 3) == 0.401
    assert result["degree_centralization_percent"] == 44.32
    assert result["components"] == {"count": 1, "sizes": [34]}
    assert set(result["central_actors"]) == {"degree", "betweenness", "eigenvector"}
    assert result["communities"]["count"] >= 2
    assert sum(result["communities"]["sizes"]) == 34
    players = result["key_players"]
    assert len(players["ids"]) == 6
    assert players["fragmentation_before"] == 0.0
    assert players["fragmentation_after"] > 0


def test_stats_text_summary_with_labels(capsys):
    code = main(
        [
            "stats",
            "--edges",
            str(DATA / "mexico-trafficking-edges.txt"),
            "--labels",
            str(DATA / "mexico-trafficking-labels.csv"),
            "--key-players",
            "2",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "Density: 0.401" in out
    assert "44.32 %" in out
    assert "13 (Explotador 1)" in out
    assert "Key players" in out


def _write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "edges.txt"
    path.write_text(text)
    return str(path)


def test_junk_line_exits_non_zero_naming_the_line(tmp_path, capsys):
    code = main(["stats", "--edges", _write(tmp_path, "a b\n# note\nb c d\n"), "--json"])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == ""
    assert "line 3" in captured.err


def test_self_loop_exits_non_zero_naming_the_line(tmp_path, capsys):
    code = main(["stats", "--edges", _write(tmp_path, "a b\n\nc c\n"), "--json"])
    assert code == 1
    assert "line 3: self-loop" in capsys.readouterr().err


def test_empty_file_exits_non_zero(tmp_path, capsys):
    code = main(["stats", "--edges", _write(tmp_path, ""), "--json"])
    assert code == 1
    assert "no edge" in capsys.readouterr().err


def test_missing_file_exits_non_zero(tmp_path, capsys):
    code = main(["stats", "--edges", str(tmp_path / "absent.txt")])
    assert code == 1
    assert "Cannot read" in capsys.readouterr().err


def test_skip_bad_reports_skipped_lines(tmp_path, capsys):
    code = main(
        ["stats", "--edges", _write(tmp_path, "a b\nx\nb c\nc c\nb a\n"), "--json", "--skip-bad"]
    )
    captured = capsys.readouterr()
    result = json.loads(captured.out)
    assert code == 0
    assert result["n_edges"] == 2
    assert result["duplicate_lines_merged"] == 1
    assert [s["line"] for s in result["skipped_lines"]] == [2, 4]
    assert "skipped line 2" in captured.err


def test_key_players_larger_than_the_network_is_refused(tmp_path, capsys):
    code = main(["stats", "--edges", _write(tmp_path, "a b\nb c\n"), "--key-players", "3"])
    assert code == 1
    assert "--key-players" in capsys.readouterr().err


def test_usage_errors_return_an_exit_code(capsys):
    assert main([]) == 2
    assert main(["stats"]) == 2
    assert main(["stats", "--help"]) == 0
    assert "--edges" in capsys.readouterr().out
