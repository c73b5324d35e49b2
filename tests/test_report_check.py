"""tools/report_check.py's decisions, fed fake Chromium output: no browser needed."""
import importlib.util
import json
from pathlib import Path

import pytest

_PATH = Path(__file__).resolve().parents[1] / "tools" / "report_check.py"
_spec = importlib.util.spec_from_file_location("report_check", _PATH)
rc = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(rc)


def _dump(result: dict) -> str:
    """What `chromium --dump-dom` prints: the probe's JSON as HTML-escaped text of the <pre>."""
    text = json.dumps(result).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<html><head></head><body><h1>x</h1><pre id="report-check">{text}</pre></body></html>'


def test_parse_dump_round_trips_escaped_json():
    result = {"errors": ["console.error: a < b & c > d \"q\""], "broken": ["fig <1>"], "scrollWidth": 1280}
    assert rc.parse_dump(_dump(result)) == result


def test_parse_dump_without_probe_says_load_never_fired():
    with pytest.raises(ValueError, match="load event never fired"):
        rc.parse_dump("<html><body><pre>other</pre></body></html>")


def test_clean_page_has_no_problems_and_exact_width_is_not_overflow():
    assert rc.problems({"errors": [], "broken": [], "scrollWidth": 1280}) == []


@pytest.mark.parametrize("result, needle", [
    ({"errors": ["error: Uncaught ReferenceError"], "broken": [], "scrollWidth": 1280}, "ReferenceError"),
    ({"errors": [], "broken": ["gaussian_fit"], "scrollWidth": 1000}, "broken image (naturalWidth 0): gaussian_fit"),
    ({"errors": [], "broken": [], "scrollWidth": 1281}, "scrollWidth 1281 px > 1280 px"),
])
def test_each_kind_of_problem_is_reported(result, needle):
    found = rc.problems(result)
    assert len(found) == 1 and needle in found[0]


def test_probe_goes_first_after_doctype_so_it_sees_every_error():
    page = "<!doctype html><meta charset='utf-8'><script>boom()</script>"
    out = rc.inject(page)
    assert out.startswith("<!doctype html><script>")
    assert out.index('report-check') < out.index("boom()")
    assert rc.inject("<p>no doctype</p>").startswith("<script>")


def test_missing_chromium_exits_2_with_how_to_install(tmp_path, monkeypatch, capsys):
    page = tmp_path / "index.html"
    page.write_text("<!doctype html><p>hi</p>")
    monkeypatch.setenv("CHROMIUM", str(tmp_path / "no-such-browser"))
    assert rc.main([str(page)]) == 2
    assert "apt-get install -y chromium" in capsys.readouterr().err


def test_missing_page_exits_2_and_says_make_demo(tmp_path, capsys):
    assert rc.main([str(tmp_path / "absent.html")]) == 2
    assert "make demo" in capsys.readouterr().err
