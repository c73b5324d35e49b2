"""Render the demo report in headless Chromium and fail on what a reader would see broken.

`make report-check` runs ``python tools/report_check.py demo-output/index.html --screenshot docs/report.png``.
Only the standard library: Chromium is driven by its command line, not the DevTools protocol.

How the checks reach us: a copy of the page gets a small <script> (first in the document, so it sees
every error) that records ``window.onerror``, failed resource loads and ``console.error`` calls, and on
``load`` writes ``{"errors": [...], "broken": [...], "scrollWidth": int}`` as JSON into
``<pre id="report-check">``; ``chromium --dump-dom`` prints the DOM after load, and we parse that element.

Exit status: 0 clean, 1 problems found (each printed), 2 Chromium missing or it failed to run.
"""
from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

WIDTH = 1280
_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
_MARK = "report-check"

# Runs before the page's own content; the result <pre> is added after scrollWidth is measured.
_PROBE = """<script>(function(){
var errors=[];
window.addEventListener('error',function(e){
  var t=e.target;
  if(t&&t!==window&&(t.src||t.href)){errors.push('failed to load <'+t.tagName.toLowerCase()+'> '+String(t.src||t.href).slice(0,80));}
  else{errors.push('error: '+(e.message||String(e)));}
},true);
window.addEventListener('unhandledrejection',function(e){errors.push('unhandled rejection: '+String(e.reason));});
var ce=console.error;
console.error=function(){errors.push('console.error: '+Array.prototype.map.call(arguments,String).join(' '));return ce.apply(console,arguments);};
window.addEventListener('load',function(){
  var broken=[];
  Array.prototype.forEach.call(document.images,function(img,i){
    if(!img.complete||img.naturalWidth===0){broken.push(img.alt||img.getAttribute('src').slice(0,60)||('#'+i));}
  });
  var out={errors:errors,broken:broken,scrollWidth:document.documentElement.scrollWidth,images:document.images.length};
  var pre=document.createElement('pre');pre.id='%s';pre.textContent=JSON.stringify(out);
  document.body.appendChild(pre);
});
})();</script>""" % _MARK


def find_chromium() -> str | None:
    """Path of a Chromium-family browser: $CHROMIUM if set, else the first of _CANDIDATES on PATH."""
    if os.environ.get("CHROMIUM"):
        return shutil.which(os.environ["CHROMIUM"])
    return next((p for p in map(shutil.which, _CANDIDATES) if p), None)


def inject(page: str) -> str:
    """``page`` with the probe inserted right after its ``<!doctype ...>`` (or at the very start)."""
    m = re.match(r"\s*<!doctype[^>]*>", page, re.IGNORECASE)
    cut = m.end() if m else 0
    return page[:cut] + _PROBE + page[cut:]


def parse_dump(dom: str) -> dict:
    """The probe's JSON out of Chromium's ``--dump-dom`` text; ValueError if the probe never wrote it."""
    m = re.search(r'<pre id="%s">(.*?)</pre>' % _MARK, dom, re.DOTALL)
    if m is None:
        raise ValueError(f"report_check: the dumped DOM must contain <pre id=\"{_MARK}\">; got none "
                         "(the page's load event never fired). Raise --budget or open the page by hand.")
    return json.loads(html.unescape(m.group(1)))


def problems(result: dict, width: int = WIDTH) -> list[str]:
    """Human-readable problems in a probe result; empty means the page passed."""
    found = [f"console/page error: {e}" for e in result.get("errors", [])]
    found += [f"broken image (naturalWidth 0): {name}" for name in result.get("broken", [])]
    if result.get("scrollWidth", 0) > width:
        found.append(f"horizontal overflow: document scrollWidth {result['scrollWidth']} px > {width} px window")
    return found


def _run(chromium: str, args: list[str], budget_ms: int) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="report-check-profile-") as profile:
        cmd = [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
               f"--user-data-dir={profile}", f"--virtual-time-budget={budget_ms}", *args]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("page", nargs="?", default="demo-output/index.html", type=Path)
    ap.add_argument("--screenshot", type=Path, help="also save a PNG of the first screenful here")
    ap.add_argument("--width", type=int, default=WIDTH)
    ap.add_argument("--height", type=int, default=900)
    ap.add_argument("--budget", type=int, default=5000, help="virtual-time budget in ms for the page to load")
    a = ap.parse_args(argv)
    if not a.page.is_file():
        print(f"report_check: the page must exist; got {a.page}. Run `make demo` first.", file=sys.stderr)
        return 2
    chromium = find_chromium()
    if chromium is None:
        print("report_check: Chromium must be installed to render the report; found none of "
              f"{', '.join(_CANDIDATES)} on PATH. Install it (Debian: `apt-get install -y chromium`) "
              "or set CHROMIUM=/path/to/browser.", file=sys.stderr)
        return 2
    size = f"--window-size={a.width},{a.height}"
    # the probed copy sits next to the page so that relative image paths resolve as they do for a reader
    fd, name = tempfile.mkstemp(prefix=".report-check-", suffix=".html", dir=a.page.resolve().parent)
    probe = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(inject(a.page.read_text(encoding="utf-8")))
        done = _run(chromium, [size, "--dump-dom", probe.as_uri()], a.budget)
    finally:
        probe.unlink(missing_ok=True)
    try:
        result = parse_dump(done.stdout)
    except ValueError as e:
        print(f"{e}\nChromium exited {done.returncode}; its stderr ends:\n{done.stderr[-2000:]}", file=sys.stderr)
        return 2
    if a.screenshot is not None:
        a.screenshot.parent.mkdir(parents=True, exist_ok=True)
        shot = _run(chromium, [size, f"--screenshot={a.screenshot.resolve()}", a.page.resolve().as_uri()], a.budget)
        if not a.screenshot.is_file():
            print(f"report_check: Chromium wrote no screenshot (exit {shot.returncode}):\n{shot.stderr[-2000:]}",
                  file=sys.stderr)
            return 2
    found = problems(result, a.width)
    for p in found:
        print(f"report_check: {p}")
    print(f"report_check: {a.page}: {result.get('images', 0)} images, scrollWidth {result['scrollWidth']} px, "
          f"{len(found)} problem(s)" + (f"; screenshot {a.screenshot}" if a.screenshot else ""))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
