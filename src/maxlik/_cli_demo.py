"""``maxlik demo``: the walk-through of maximum likelihood on embedded data (maxlik.demo), with a
progress line per section."""

from __future__ import annotations

import typer

from ._cli_common import _friendly, _progress, out
from ._paths import writable_folder


@_friendly
def demo_cmd(out_dir: str = typer.Option("demo-output", "--out", help="Folder for the report and figures.")):
    """Walk through maximum likelihood on embedded data; writes an HTML report with figures."""
    writable_folder(out_dir, option="--out", owner="maxlik demo")  # before the 14 s of sections
    from .demo import SECTIONS, run

    with _progress("demo sections", len(SECTIONS), done_lines=True) as advance:
        path = run(out_dir, progress=advance)
    out.print(f"report: {path}")
