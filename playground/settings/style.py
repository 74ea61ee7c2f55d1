"""The page's CSS: Streamlit's layout tightened, the live view's elements, narrow screens and the
projector setting (every text at least 16 px, charts larger, the sidebar collapsed)."""

from __future__ import annotations

BASE = """
[data-testid="stHeader"] {height: 2.6rem; min-height: 2.6rem;}
[data-testid="stMainBlockContainer"] {padding: 2.75rem 1.2rem 0.5rem 1.2rem; max-width: 100%;}
section[data-testid="stSidebar"] {width: 300px !important;}
section[data-testid="stSidebar"] .block-container {padding-top: 0.5rem;}
[data-testid="stSidebarHeader"] {height: 1.5rem; padding: 0.25rem 1rem;}
[data-testid="stSidebarUserContent"] {padding-top: 0;}
[data-testid="stExpander"] details summary {padding: 0.3rem 0.75rem;}
[data-testid="stElementContainer"]:has(.pg-live-data) {display: none;}
[data-testid="stElementContainer"]:has(.pg-backup) {display: none;}
.pg-stats {display: flex; gap: 1.4rem; align-items: baseline; flex-wrap: wrap;}
.pg-stats div {display: flex; flex-direction: column; line-height: 1.15;}
.pg-stats small {color: #555; font-size: 0.8rem;}
.pg-stats span {font-size: 1.35rem; font-variant-numeric: tabular-nums; min-width: 5ch;}
.pg-network, .pg-surface, .pg-cost {position: relative; max-width: 100%;}
.pg-network canvas {display: block; max-width: 100%;}
.pg-tip {position: absolute; display: none; pointer-events: none; background: #fff; z-index: 5;
         border: 1px solid #999; border-radius: 3px; padding: 2px 6px; font-size: 0.85rem;
         white-space: nowrap;}
.pg-net-buttons {position: relative; height: 1.9rem; margin-bottom: 0.1rem;}
.pg-net-layers {position: absolute; left: 0; top: 0; display: flex; gap: 0.3rem; align-items: center;
                font-size: 0.85rem;}
.pg-net-neurons {position: absolute; top: 0; transform: translateX(-50%); display: flex; gap: 0.15rem;}
.pg-net-buttons button, .pg-tools button {border: 1px solid #bbb; background: #fff; color: #222;
    border-radius: 4px; min-width: 1.7rem; height: 1.6rem; cursor: pointer; font-size: 0.9rem;
    line-height: 1; padding: 0 0.3rem;}
.pg-net-buttons.pg-two-rows {height: 3.9rem;}
.pg-net-buttons.pg-two-rows .pg-net-neurons {top: 2rem;}
.pg-net-buttons button:disabled {opacity: 0.35; cursor: default;}
.pg-tools {position: absolute; right: 0; top: 0; display: flex; gap: 0.25rem; z-index: 4; opacity: 0.7;}
.pg-preview {display: block;}
.pg-network:fullscreen, .pg-surface:fullscreen, .pg-cost:fullscreen {background: #fff; padding: 1rem;
    overflow: auto;}
.pg-surface:fullscreen .svg-container {margin: 0 auto;}
.st-key-math_top .katex-display > .katex {font-size: 0.9em;}
/* A help tooltip is read, never clicked: Streamlit keeps one open while the pointer is over it,
   and "Start here"'s (in the sidebar, shown above the button, ~670 px wide) lay over Play, Step and
   Reset and took the click meant for Play. Clicks go through to what is under it, and it closes.
   (Its wrappers let clicks through already. A :has() rule here cost 2/3 of the frames while
   playing: Chromium re-matched it on every change of the page.) */
[data-testid="stTooltipContent"], [data-testid="stTooltipContent"] * {pointer-events: none !important;}
/* Streamlit's header is fixed, 3.75rem tall, and takes every tap over its width while the sidebar
   is collapsed (it holds the open-sidebar button): below Streamlit's 768 px breakpoint, where the
   sidebar starts collapsed, the toolbar begins under it. */
@media (max-width: 767.98px) {[data-testid="stMainBlockContainer"] {padding-top: 3.75rem;}}
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] {padding: 2.75rem 0.6rem 0.5rem 0.6rem;}
  /* the toolbar's four buttons two by two, the stats below them: the toolbar stays at hand */
  .st-key-pg-toolbar [data-testid="stHorizontalBlock"] {flex-flow: row wrap; gap: 0.5rem;}
  .st-key-pg-toolbar [data-testid="stColumn"] {flex: 1 1 calc(50% - 0.5rem); min-width: 0;}
  .st-key-pg-toolbar [data-testid="stColumn"]:last-child {flex-basis: 100%;}
  .pg-stats {gap: 0.8rem;}
  .pg-stats span {font-size: 1.1rem;}
}
"""

PROJECTOR = """
html {font-size: 19px;}
.pg-stats small {font-size: 0.85rem;}
.pg-stats span {font-size: 1.6rem;}
.pg-tip, .pg-net-layers {font-size: 0.9rem;}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {font-size: 0.85rem;}
"""


def page_css(projector: bool = False) -> str:
    """The <style> element for the page."""
    return f"<style>{BASE}{PROJECTOR if projector else ''}</style>"
