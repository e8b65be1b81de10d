import csv
import re

import pytest

from corridor.matching.cli import main
from corridor.matching.synth import LEFT_COLUMNS, RIGHT_COLUMNS

from .conftest import write_csv


def read_links(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def decision_f1(rows, truth):
    decided = {(r["left_id"], r["right_id"]) for r in rows if r["match"] == "1"}
    tp = len(decided & set(truth))
    return 2 * tp / (len(decided) + len(truth)) if tp else 0.0


def test_match_writes_scored_links_above_an_f1_floor(tmp_path, register_files, capsys):
    left, right, truth = register_files
    out = tmp_path / "links.csv"
    assert main(["--left", str(left), "--right", str(right), "--out", str(out)]) == 0
    rows = read_links(out)
    assert list(rows[0]) == ["left_id", "right_id", "score", "match"]
    assert decision_f1(rows, truth) >= 0.88
    assert "matched" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_threshold_changes_the_decision_only(tmp_path, register_files):
    left, right, _truth = register_files
    strict, loose = tmp_path / "strict.csv", tmp_path / "loose.csv"
    main(
        [
            "--left",
            str(left),
            "--right",
            str(right),
            "--out",
            str(strict),
            "--threshold",
            "0.95",
            "--quiet",
        ]
    )
    main(
        [
            "--left",
            str(left),
            "--right",
            str(right),
            "--out",
            str(loose),
            "--threshold",
            "0.2",
            "--quiet",
        ]
    )
    count = lambda rows: sum(r["match"] == "1" for r in rows)  # noqa: E731
    assert count(read_links(strict)) < count(read_links(loose))


@pytest.mark.parametrize("threshold", ["1.5", "-0.1"])
def test_a_threshold_outside_0_and_1_is_refused_and_nothing_is_written(
    tmp_path, register_files, capsys, threshold
):
    left, right, _truth = register_files
    out = tmp_path / "links.csv"
    args = ["--left", str(left), "--right", str(right), "--out", str(out)]
    assert main([*args, "--threshold", threshold]) == 2
    assert "--threshold must be between 0 and 1" in capsys.readouterr().err
    assert not out.exists() and not list(tmp_path.glob("*.tmp"))


def test_without_a_threshold_the_run_says_its_cut(tmp_path, register_files, capsys):
    left, right, _truth = register_files
    out = tmp_path / "links.csv"
    assert main(["--left", str(left), "--right", str(right), "--out", str(out)]) == 0
    rows = read_links(out)
    cut = min(float(r["score"]) for r in rows if r["match"] == "1")
    said = re.search(r"\(probability (\d\.\d\d) or more\)", capsys.readouterr().err)
    assert said and abs(float(said.group(1)) - cut) <= 0.005 and cut >= 0.3  # the lowest decided


def test_train_labels_refit_and_still_link(tmp_path, register_files):
    left, right, truth = register_files
    labels = tmp_path / "labels.csv"
    with open(labels, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["left_id", "right_id", "decision"])
        for a, b in truth[:30]:
            writer.writerow([a, b, "match"])
        writer.writerow([truth[0][0], truth[1][1], "no_match"])
        writer.writerow([truth[2][0], truth[3][1], "unsure"])
    out = tmp_path / "links.csv"
    model = tmp_path / "model.json"
    args = [
        "--left",
        str(left),
        "--right",
        str(right),
        "--out",
        str(out),
        "--train-labels",
        str(labels),
    ]
    assert main([*args, "--save-model", str(model), "--quiet"]) == 0
    assert decision_f1(read_links(out), truth) >= 0.85
    assert '"source": "reviewed"' in model.read_text()


def bad_input_cases(register):
    left, right, _truth = register
    good = [dict(r) for r in left[:5]]
    return {
        "missing column": (
            good,
            [c for c in LEFT_COLUMNS if c != "mother_name"],
            None,
            "missing columns: mother_name",
        ),
        "duplicate id": ([*good, {**good[0]}], LEFT_COLUMNS, None, "duplicate record_id"),
        "empty names": (
            [*good[:2], {**good[2], "given_names": "", "family_name": " "}],
            LEFT_COLUMNS,
            None,
            "no name",
        ),
        "impossible date": (
            [*good[:3], {**good[3], "birth_date": "2012-02-30"}],
            LEFT_COLUMNS,
            None,
            "not a real date",
        ),
        "born after report": (
            [*good[:1], {**good[1], "birth_date": "2030-01-01", "birth_year": "", "age_years": ""}],
            LEFT_COLUMNS,
            None,
            "is after report_date",
        ),
        "negative age": (
            [{**good[0], "birth_date": "", "birth_year": "", "age_years": "-3"}],
            LEFT_COLUMNS,
            None,
            "impossible age_years",
        ),
        "not utf-8": (good, LEFT_COLUMNS, "latin-1", "not UTF-8"),
        "impossible age date": (
            [*good[:2], {**good[2], "age_date": "2024-13-45"}],
            [*LEFT_COLUMNS, "age_date"],
            None,
            "age_date is not a real date",
        ),
    }


@pytest.mark.parametrize(
    "case",
    [
        "missing column",
        "duplicate id",
        "empty names",
        "impossible date",
        "born after report",
        "negative age",
        "not utf-8",
        "impossible age date",
    ],
)
def test_bad_input_names_the_line_and_writes_nothing(tmp_path, register, case, capsys):
    rows, columns, encoding, message = bad_input_cases(register)[case]
    left = tmp_path / "left.csv"
    if encoding:
        rows = [{**rows[0], "given_names": "Élodie"}, *rows[1:]]
        with open(left, "w", newline="", encoding=encoding) as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
    else:
        with open(left, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
    right = write_csv(tmp_path / "right.csv", register[1][:5], RIGHT_COLUMNS)
    out = tmp_path / "links.csv"
    code = main(["--left", str(left), "--right", str(right), "--out", str(out), "--quiet"])
    error = capsys.readouterr().err
    assert code == 2
    assert message in error
    expected_line = {"missing column": 1, "not utf-8": 2}.get(case, len(rows) + 1)
    assert f"left.csv:{expected_line}:" in error
    assert not out.exists()
    assert list(tmp_path.glob("*.tmp")) == []


def test_missing_file_is_a_clear_error(tmp_path, capsys):
    code = main(
        [
            "--left",
            str(tmp_path / "nope.csv"),
            "--right",
            str(tmp_path / "nope.csv"),
            "--out",
            str(tmp_path / "o.csv"),
        ]
    )
    assert code == 2
    assert "cannot read" in capsys.readouterr().err


def test_interrupt_leaves_no_output(tmp_path, register_files, monkeypatch):
    left, right, _truth = register_files
    import corridor.matching.cli as cli

    real = cli.link_columns

    class InterruptedWhileWriting:
        """Ctrl-C arrives after some links were written."""

        def __init__(self, **kwargs):
            self.result = real(**kwargs)

        def rows(self):
            yield next(self.result.rows(chunk=5))
            raise KeyboardInterrupt

    monkeypatch.setattr(cli, "link_columns", InterruptedWhileWriting)
    out = tmp_path / "links.csv"
    assert (
        cli.main(["--left", str(left), "--right", str(right), "--out", str(out), "--quiet"]) == 130
    )
    assert not out.exists()
