"""A self-contained HTML report: sections of Markdown-ish text, tables and embedded PNG figures.

Used by the demo; small on purpose — paragraphs, preformatted blocks and figures are all a
walk-through needs.
"""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass, field
from pathlib import Path

from matplotlib.figure import Figure

from ._paths import write_files


@dataclass
class Section:
    title: str
    blocks: list = field(default_factory=list)  # ("p", text) | ("pre", text) | ("fig", name, Figure)

    def text(self, s: str) -> "Section":
        self.blocks.append(("p", s))
        return self

    def pre(self, s: str) -> "Section":
        self.blocks.append(("pre", s))
        return self

    def figure(self, name: str, fig: Figure) -> "Section":
        self.blocks.append(("fig", name, fig))
        return self


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")  # no label cut at the edge
    return buf.getvalue()


_CSS = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#222}
pre{background:#f5f5f5;padding:.75rem;overflow-x:auto;font-size:.85rem}h2{border-bottom:1px solid #ddd;margin-top:2.5rem}
img{max-width:100%;display:block;margin:1rem 0}"""


def write_report(title: str, intro: str, sections: list[Section], out_dir: str | Path) -> Path:
    """Write ``index.html`` (images embedded as base64) and each figure as its own PNG.

    Every figure is rendered before the first file is written, and the files are written all or
    nothing (:func:`maxlik._paths.write_files`): a failure leaves no partial report behind."""
    out = Path(out_dir)
    files: dict[str, bytes] = {}
    parts = [f"<!doctype html><meta charset='utf-8'><title>{html.escape(title)}</title><style>{_CSS}</style>",
             f"<h1>{html.escape(title)}</h1><p>{html.escape(intro)}</p>"]
    for i, sec in enumerate(sections, 1):
        parts.append(f"<h2>{i}. {html.escape(sec.title)}</h2>")
        for block in sec.blocks:
            if block[0] == "p":
                parts.append(f"<p>{html.escape(block[1])}</p>")
            elif block[0] == "pre":
                parts.append(f"<pre>{html.escape(block[1])}</pre>")
            else:
                _, name, fig = block
                data = _png(fig)
                files[f"{name}.png"] = data
                parts.append(f"<img alt='{html.escape(name)}' src='data:image/png;base64,{base64.b64encode(data).decode()}'>")
    files["index.html"] = "\n".join(parts).encode("utf-8")
    write_files(out, files)
    return out / "index.html"
