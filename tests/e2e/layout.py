"""What the layout tests read from the page: elements wider than the window, clipped text, text
smaller than a size, and where the live views are (see tests/e2e/test_layout.py).

A text element is any shown element with a text node of its own; it is clipped when its content
is wider than its box (scrollWidth > clientWidth) or when an ancestor that hides overflow cuts it.
"""

# Shown elements (a box on screen, not off to the left in a collapsed sidebar) with text of their own.
_TEXT_ELEMENTS = r"""
const shown = (e) => e.getClientRects().length
    && e.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})
    && e.getBoundingClientRect().right > 0 && !e.closest('.pg-live-data');
const ownText = (e) => [...e.childNodes]
        .some((n) => n.nodeType === 3 && n.textContent.replace(/[\s\u200b]/g, ''))
    && !e.closest('.katex-mathml');  // KaTeX's copy for screen readers, clipped to 1 px on purpose
const describe = (e) => `${e.tagName.toLowerCase()}${e.dataset.testid ? '[' + e.dataset.testid + ']' : ''}`
    + `${e.className && typeof e.className === 'string' ? '.' + e.className.split(' ')[0] : ''}: `
    + JSON.stringify((e.textContent || e.value || '').trim().slice(0, 60));
const texts = () => [...document.querySelectorAll('body *')].filter((e) => shown(e) && ownText(e)
    && !['SCRIPT', 'STYLE', 'NOSCRIPT', 'OPTION'].includes(e.tagName));
"""

# Elements whose right edge is beyond the window (or wider than it); [] when none.
TOO_WIDE_JS = r"""() => {
    const width = document.documentElement.clientWidth;
    const shown = (e) => e.getClientRects().length && e.checkVisibility()
        && e.getBoundingClientRect().right > 0;
    const scrolls = (e) => {
        for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
            const o = getComputedStyle(a).overflowX;
            if (!a.closest('[data-testid="stElementContainer"]')) return false; // the page's own scrollers
            if ((o === 'auto' || o === 'scroll') && a.getBoundingClientRect().right <= width + 1) return true;
        }
        return false;
    };
    const out = [];
    if (document.documentElement.scrollWidth > width + 1)
        out.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
    for (const e of document.querySelectorAll('body *')) {
        // an svg clips what is inside it; KaTeX's MathML copy is hidden; a formula wider than the
        // screen scrolls inside its own box (an ancestor that scrolls sideways and fits)
        if (!shown(e) || e.parentElement.closest('svg') || e.closest('.katex-mathml')) continue;
        if (scrolls(e)) continue;
        const r = e.getBoundingClientRect();
        if (r.width > 0 && r.right > 0 && (r.right > width + 1 || r.width > width + 1)) {
            out.push(`${e.tagName.toLowerCase()}.${String(e.className).split(' ')[0]}`
                     + `[${e.dataset.testid || ''}] right=${Math.round(r.right)}`
                     + ` width=${Math.round(r.width)}`);
        }
    }
    return out.slice(0, 20);
}"""

# Text cut short: content wider than its box, or the box cut by an ancestor that hides overflow.
CLIPPED_JS = "() => {" + _TEXT_ELEMENTS + r"""
    const out = [];
    for (const e of texts()) {
        const style = getComputedStyle(e);
        if (e.clientWidth <= 1 && style.position === 'absolute') continue; // screen-reader only (skip link)
        if (e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0 && style.overflowX !== 'visible') {
            out.push(`${describe(e)} scrollWidth ${e.scrollWidth} > clientWidth ${e.clientWidth}`);
            continue;
        }
        if (e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0 && style.display !== 'inline') {
            // overflowing a visible box: cut only if an ancestor hides overflow
            const r = e.getBoundingClientRect();
            for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
                const s = getComputedStyle(a);
                if (s.overflowX === 'visible') continue;
                const ar = a.getBoundingClientRect();
                if (r.left + e.scrollWidth > ar.right + 1) {
                    out.push(`${describe(e)} cut by ${a.tagName.toLowerCase()}[${a.dataset.testid || ''}]`);
                }
                break;
            }
        }
    }
    // select boxes: the value shown in the closed box
    const values = '[data-baseweb="select"] [value], [data-baseweb="select"] input';
    for (const s of document.querySelectorAll(values)) {
        if (!shown(s)) continue;
        if (s.scrollWidth > s.clientWidth + 1 && s.clientWidth > 1) {
            out.push(`${describe(s)} select value clipped`);
        }
    }
    return out.slice(0, 30);
}"""

# Shown text smaller than `min_px`: [description, size] pairs; plotly's SVG text included.
SMALL_TEXT_JS = "(minPx) => {" + _TEXT_ELEMENTS + r"""
    const out = [];
    for (const e of texts()) {
        const size = parseFloat(getComputedStyle(e).fontSize);
        if (size < minPx - 0.01) out.push([describe(e), size]);
    }
    for (const t of document.querySelectorAll('.main-svg text')) {
        if (!t.textContent.trim() || !t.getClientRects().length) continue;
        const size = parseFloat(getComputedStyle(t).fontSize);
        if (size < minPx - 0.01) out.push([`svg text ${JSON.stringify(t.textContent.slice(0, 30))}`, size]);
    }
    for (const c of document.querySelectorAll('.pg-network canvas')) {
        const size = parseFloat(c.dataset.minFontPx);
        if (!(size >= minPx - 0.01)) out.push(['network diagram text', size]);
    }
    return out.slice(0, 30);
}"""

# Controls and labels another element covers (the page header over the toolbar, one of the diagram's
# buttons over another, the colour legend over the hints): [] when none.
COVERED_JS = r"""() => {
    const out = [];
    const targets = [...document.querySelectorAll(
        '.st-key-pg-toolbar button, .pg-stats small, .pg-stats span, .pg-net-buttons button, '
        + '.pg-tools button')];
    for (const e of targets) {
        if (!e.getClientRects().length) continue;
        e.scrollIntoView({block: 'center'});
        const r = e.getBoundingClientRect();
        const [cx, cy] = [(r.left + r.right) / 2, (r.top + r.bottom) / 2];
        for (const [x, y] of [[cx, r.top + 0.3 * r.height], [cx, r.bottom - 0.3 * r.height],
                              [r.left + 0.2 * r.width, cy], [r.right - 0.2 * r.width, cy]]) {
            const hit = document.elementFromPoint(x, y);
            if (hit && hit !== e && !e.contains(hit) && !hit.contains(e)) {
                const what = JSON.stringify(e.textContent || e.title);
                const by = `${hit.tagName.toLowerCase()}[${hit.dataset.testid || hit.className}]`;
                out.push(`${e.tagName.toLowerCase()} ${what} at ${Math.round(x)},${Math.round(y)} under `
                         + `${by} ${JSON.stringify(hit.textContent.slice(0, 20))}`);
                break;
            }
        }
    }
    const net = window.__pgStage?.views.get('network');
    if (net?.legendBox && net.hintsBox) {
        const [lx, ly, lw, lh] = net.legendBox, [hx, hy, hr] = net.hintsBox;
        if (hr > lx && ly + lh > hy) {
            out.push(`the colour legend covers the hints: ${[lx, ly, lw, lh]} vs ${[hx, hy, hr]}`);
        }
    }
    return out;
}"""

# Each live view's box on the page (x, y, width, height), by class.
BOXES_JS = r"""() => Object.fromEntries([
    '.pg-network canvas', '.pg-surface .pg-plotly', '.pg-cost .pg-plotly', '.pg-stats'].map((sel) => {
    const e = [...document.querySelectorAll(sel)].find((x) => x.getClientRects().length);
    if (!e) return [sel, null];
    const r = e.getBoundingClientRect();
    return [sel, {x: r.x, y: r.y + window.scrollY, width: r.width, height: r.height}];
}))"""
