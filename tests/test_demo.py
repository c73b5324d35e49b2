"""The demo runs start to finish and writes a self-contained report with its figures."""

import re

from maxlik.demo import SECTIONS, run


def test_demo_writes_report(tmp_path):
    path = run(tmp_path / "demo")
    html = path.read_text()
    assert html.count("<h2>") == len(SECTIONS)
    assert html.count("data:image/png;base64,") >= 8
    assert "p̂ = 7/10" in html and "probs                            0.7" in html
    assert "least squares c = mean(y) = 2.02" in html
    assert re.search(r"monotone: True", html)
    assert len(list((tmp_path / "demo").glob("*.png"))) >= 8
