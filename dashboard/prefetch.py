"""Load the browser's chart library while the official reads a page that has no chart.

Streamlit's frontend fetches and runs Plotly.js (a 4.7 MB module) the first time a page of a
visit shows a Plotly chart: about 1 s of the browser's CPU on top of that page, so the first
chart page after the Overview took 2.2–2.8 s against 0.4–0.9 s for the others
(docs/performance.md, "Dashboard pages"). The Overview draws no chart until asked, and calls
`plotly_when_idle()`: once its page has not changed for a second, the browser imports the same
module Streamlit will import, and the next chart page finds it loaded.

It relies on one Streamlit detail, the file name of its Plotly chunk (`PlotlyChart.<hash>.js`
next to the frontend's `index.<hash>.js`), looked up in the installed package: when a Streamlit
release names it otherwise nothing is prefetched and pages work as before, only slower.
"""

from __future__ import annotations

import functools
from pathlib import Path

import streamlit as st

# Runs once per browser tab; waits for a quiet page so it never delays what is being drawn.
_SCRIPT = """<script>
(() => {
  if (window.__ipgovPrefetched) return;
  window.__ipgovPrefetched = true;
  const main = document.querySelector('script[src*="static/js/index."]');
  if (!main) return;
  let last = performance.now();
  const seen = new MutationObserver(() => { last = performance.now(); });
  seen.observe(document.body, {subtree: true, childList: true, characterData: true});
  const when_quiet = () => {
    if (performance.now() - last < QUIET_MS) { setTimeout(when_quiet, 250); return; }
    seen.disconnect();
    import(new URL("CHUNK", main.src).href).catch(() => {});
  };
  setTimeout(when_quiet, 250);
})();
</script>"""
QUIET_MS = 1000


@functools.cache
def plotly_chunk() -> str | None:
    """The installed Streamlit frontend's Plotly chunk, e.g. "PlotlyChart.D9Z0_fxz.js"."""
    folder = Path(st.__file__).parent / "static" / "static" / "js"
    found = sorted(folder.glob("PlotlyChart.*.js"))
    return found[0].name if len(found) == 1 else None


def plotly_when_idle() -> None:
    """Ask the browser to import Plotly.js once the page is quiet (see the module docstring)."""
    chunk = plotly_chunk()
    if chunk is None:
        return
    script = _SCRIPT.replace("CHUNK", chunk).replace("QUIET_MS", str(QUIET_MS))
    st.html(script, unsafe_allow_javascript=True)
