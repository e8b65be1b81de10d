from __future__ import annotations

from pathlib import Path

import pytest
from pyxform.xls2xform import convert

from corridor.flows import forms_cli, xlsforms
from corridor.flows.vocab import NATIONALITIES, Reason, Transport, Vulnerability


def test_cli_writes_forms_that_pyxform_converts(tmp_path: Path):
    assert forms_cli.main(["xlsform", "--out", str(tmp_path)]) == 0
    written = sorted(p.name for p in tmp_path.glob("*.xlsx"))
    assert written == [
        "corridor_flow_count.xlsx",
        "corridor_flow_survey.xlsx",
        "corridor_screening.xlsx",
    ]
    for path in tmp_path.glob("*.xlsx"):
        result = convert(xlsform=str(path), validate=False)
        assert "<h:html" in result.xform
        assert f'id="{path.stem}"' in result.xform


def test_cli_refuses_a_file_as_folder(tmp_path: Path):
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(SystemExit):
        forms_cli.main(["xlsform", "--out", str(target)])


def test_form_choices_match_the_models():
    """The XLSForm lists and the model choices are one vocabulary: a drift would make valid
    field submissions fail."""
    assert [c[0] for c in xlsforms.NATIONALITY] == list(NATIONALITIES)
    assert [c[0] for c in xlsforms.TRANSPORT] == Transport.values
    assert [c[0] for c in xlsforms.REASON] == Reason.values
    assert [c[0] for c in xlsforms.VULNERABILITY] == Vulnerability.values


def test_forms_cli_needs_no_django():
    import subprocess
    import sys

    code = (
        "import sys; from corridor.flows import forms_cli, xlsforms; "
        "assert 'django' not in sys.modules, 'django imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
