// The playground's live view (see playground/live/stage.py): the stats row, the network diagram
// (a canvas), the decision surface and the cost curve (plotly), updated in place frame by frame.
//
// Each view is a mount of this component with one "slot"; Python sends everything it draws, already
// formatted and coloured (this file draws, it decides nothing). Data is one binary message:
//   "PGv1" | uint32 header length | header JSON | blobs
// header = {seq, mount?: {slot, kind, token, ws, plotly, playing, static}, slots: {slot: frame},
//           blobs: [[slot, name, dtype, shape, offset, length], ...]}
// While playing, the same messages (all slots at once) arrive on a WebSocket; as it starts drawing
// one the page answers "taken <seq>", and the server sends the next only then. Without the
// WebSocket they arrive in hidden `.pg-live-data` elements (base64) instead.
const S = (window.__pgStage ??= {
  views: new Map(), // slot -> view
  received: 0, drawn: 0, // frames that arrived, frames drawn (the benchmarks read them)
  pictureAt: 0, // performance.now() when the surface's picture or the diagram last changed (benchmarks)
  socket: null, token: null, wsPath: null, lastSeq: 0, pending: null, drawQueued: false,
  plotly: null, plotlySrc: null, observer: null, seen: new WeakMap(),
});

// --- messages ---------------------------------------------------------------------------------
const DTYPES = { u8: Uint8Array, i8: Int8Array, f32: Float32Array, f64: Float64Array, i32: Int32Array };

function toBytes(data) {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (typeof data === "string") return Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  throw new Error("unknown live-view data");
}

function decode(data) {
  const bytes = toBytes(data);
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (magic !== "PGv1") throw new Error("not a live-view message");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  const start = 8 + headerLength;
  const blobs = {};
  for (const [slot, name, dtype, shape, offset, length] of header.blobs || []) {
    const copy = bytes.slice(start + offset, start + offset + length); // aligned for typed arrays
    (blobs[slot] ??= {})[name] = { array: new DTYPES[dtype](copy.buffer), shape };
  }
  return { header, blobs };
}

// --- plotly, loaded once, as soon as the page has drawn its own elements --------------------------
// plotly.js holds the main thread while it starts (1.7-2.1 s in Chromium on 2 cores): started at
// the first mount, it held a first visit's controls as grey placeholders for ~3 s (their scripts
// arrived while it ran). It waits until the page is whole (the backup view, mounted by every run,
// says so: a first visit's first run draws the views alone), the run has ended and no element is
// still loading (Streamlit shows a placeholder, data-testid stSkeleton, until an element's script
// has come), at most PLOTLY_WAIT_MS.
const PLOTLY_WAIT_MS = 4000;

function pageDrawn() {
  const app = document.querySelector('[data-testid="stApp"]');
  return S.restPending === false && app?.getAttribute("data-test-script-state") === "notRunning"
    && !document.querySelector('[data-testid="stSkeleton"]');
}

function loadPlotly(src) {
  if (!S.plotly && src) {
    S.plotly = new Promise((resolve, reject) => {
      if (window.Plotly) return resolve(window.Plotly);
      const start = performance.now();
      const load = () => {
        if (!pageDrawn() && performance.now() - start < PLOTLY_WAIT_MS) return setTimeout(load, 50);
        const script = document.createElement("script");
        script.src = new URL(src, document.baseURI).href;
        script.onload = () => (window.Plotly ? resolve(window.Plotly) : reject(new Error("no Plotly")));
        script.onerror = () => reject(new Error(`could not load ${src}`));
        document.head.appendChild(script);
      };
      setTimeout(load, 0);
    });
  }
  return S.plotly;
}

// --- the WebSocket and the hidden-element fallback ------------------------------------------------
function connect(token, path) {
  if (!token || (S.socket && S.token === token)) return;
  if (S.socket) S.socket.close();
  S.token = token;
  S.wsPath = path;
  const url = new URL(`${path}?token=${token}`, document.baseURI);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  const socket = new WebSocket(url.href);
  socket.binaryType = "arraybuffer";
  socket.onmessage = (event) => queue(event.data, true);
  socket.onclose = () => {
    if (S.socket !== socket) return;
    S.socket = null;
    setTimeout(() => { if (!S.socket && S.token === token) { S.token = null; connect(token, path); } }, 1000);
  };
  S.socket = socket;
}

function queue(data, acknowledge) {
  S.received += 1;
  S.pending = { data, acknowledge }; // only the newest undrawn frame is kept
  if (!S.drawQueued) {
    S.drawQueued = true;
    requestAnimationFrame(drawPending);
  }
}

function drawPending() {
  S.drawQueued = false;
  const { data, acknowledge } = S.pending;
  S.pending = null;
  const { header, blobs } = decode(data);
  // taken: this page holds no undrawn frame now, so the next one may come while this one draws
  if (acknowledge && S.socket && S.socket.readyState === WebSocket.OPEN) S.socket.send(`taken ${header.seq}`);
  if (header.seq < S.lastSeq && !header.mount) return;
  S.lastSeq = header.seq;
  for (const [slot, frame] of Object.entries(header.slots || {})) {
    const view = S.views.get(slot);
    if (view) view.update(frame, blobs[slot] || {}, header.seq);
  }
  S.drawn += 1;
}

function watchHiddenFrames() {
  if (S.observer) return;
  const scan = () => {
    for (const element of document.querySelectorAll(".pg-live-data")) {
      const text = element.textContent;
      if (S.seen.get(element) === text) continue;
      S.seen.set(element, text);
      queue(text, false);
    }
  };
  S.observer = new MutationObserver(scan);
  S.observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  scan();
}

// --- sizes from the screen -----------------------------------------------------------------------
// A view's width is its own box's (never its parent's, which may be wider than the column); in full
// screen, the whole screen less the padding and the tools' row.
function fit(view) {
  const root = view.root;
  if (document.fullscreenElement === root) {
    const pad = 2 * parseFloat(getComputedStyle(root).paddingLeft || "0");
    return { width: Math.max(200, root.clientWidth - pad), vh: window.innerHeight || 800, full: true };
  }
  const width = Math.max(200, root.clientWidth || root.parentElement?.clientWidth || 400);
  return { width, vh: window.innerHeight || 800, full: false };
}

// --- stats ---------------------------------------------------------------------------------------
class StatsView {
  constructor(root) {
    this.root = root;
    root.className = "pg-stats";
  }
  setStatic() {}
  update(frame) {
    const items = frame.items || [];
    if (this.root.childElementCount !== items.length) {
      this.root.replaceChildren(...items.map(([label, id]) => {
        const cell = document.createElement("div");
        const small = document.createElement("small");
        const value = document.createElement("span");
        small.textContent = label;
        value.id = id;
        cell.append(small, value);
        return cell;
      }));
    }
    items.forEach(([label, id, text], k) => {
      const cell = this.root.children[k];
      cell.firstChild.textContent = label;
      cell.lastChild.id = id;
      if (cell.lastChild.textContent !== text) cell.lastChild.textContent = text;
    });
  }
}

// --- the network diagram ---------------------------------------------------------------------------
class NetworkView {
  constructor(root, trigger) {
    this.root = root;
    this.trigger = trigger;
    root.className = "pg-network";
    this.canvas = document.createElement("canvas");
    this.canvas.dataset.testid = "pg-network-canvas";
    this.tip = document.createElement("div");
    this.tip.className = "pg-tip";
    this.buttons = document.createElement("div");
    this.buttons.className = "pg-net-buttons";
    this.tools = toolbar(root, () => this.canvas.toDataURL("image/png"), "network.png");
    root.append(this.buttons, this.canvas, this.tip);
    this.canvas.addEventListener("mousemove", (e) => this.hover(e));
    this.canvas.addEventListener("mouseleave", () => (this.tip.style.display = "none"));
    this.canvas.addEventListener("click", (e) => this.click(e));
    new ResizeObserver(() => this.layout()).observe(root);
  }
  setStatic(st) {
    this.st = st;
    this.lut = null;
    this.layout();
  }
  layout() {
    if (!this.st) return;
    const { width, vh, full } = fit(this);
    const st = this.st;
    const aspect = (st.x_range[1] - st.x_range[0]) / (st.y_range[1] - st.y_range[0]);
    const share = full ? 0.86 : st.max_height_share;
    const cssWidth = Math.min(width, Math.max(260, vh * share * aspect));
    const cssHeight = cssWidth / aspect;
    const ratio = window.devicePixelRatio || 1;
    this.canvas.style.width = `${cssWidth}px`;
    this.canvas.style.height = `${cssHeight}px`;
    this.canvas.width = Math.round(cssWidth * ratio);
    this.canvas.height = Math.round(cssHeight * ratio);
    this.scale = (cssWidth / (st.x_range[1] - st.x_range[0])) * ratio;
    this.cssScale = cssWidth / (st.x_range[1] - st.x_range[0]);
    this.placeButtons();
    this.draw();
  }
  toPx(x, y) { // diagram units -> canvas pixels
    const st = this.st;
    return [(x - st.x_range[0]) * this.scale, (st.y_range[1] - y) * this.scale];
  }
  toCss(x, y) {
    const st = this.st;
    return [(x - st.x_range[0]) * this.cssScale, (st.y_range[1] - y) * this.cssScale];
  }
  update(frame, blobs) {
    if (!this.fits(blobs)) return; // a click's early frame for another diagram: the mount follows
    this.frame = frame;
    this.blobs = blobs;
    this.draw();
  }
  fits(blobs) { // a link code per link and a thumbnail per neuron of the diagram drawn
    const st = this.st;
    if (!st) return true;
    const neurons = st.columns.reduce((n, column) => n + column.ys.length, 0);
    return (!blobs.codes || blobs.codes.array.length * 4 === st.ends.array.length)
      && (!blobs.thumbs || blobs.thumbs.shape[0] === neurons);
  }
  draw() {
    const st = this.st, frame = this.frame;
    if (!st || !frame || !this.fits(this.blobs)) return; // a new layout waits for its frame
    const ctx = this.canvas.getContext("2d");
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.smallestFont = Infinity;
    const ends = st.ends.array, codes = this.blobs.codes?.array;
    const px = this.scale / (window.devicePixelRatio || 1); // css px per unit, for line widths
    const groups = new Map();
    for (let k = 0; codes && k < codes.length; k++) {
      const code = codes[k];
      if (!groups.has(code)) groups.set(code, []);
      groups.get(code).push(k);
    }
    ctx.lineCap = "round";
    for (const [code, links] of groups) {
      const [color, width, opacity, dash] = st.styles[String(code)];
      ctx.strokeStyle = color;
      ctx.globalAlpha = opacity;
      ctx.lineWidth = width * st.line_scale * (window.devicePixelRatio || 1);
      ctx.setLineDash(dash ? dash.map((d) => d * (window.devicePixelRatio || 1)) : []);
      ctx.beginPath();
      for (const k of links) {
        const [x0, y0] = this.toPx(ends[4 * k], ends[4 * k + 1]);
        const [x1, y1] = this.toPx(ends[4 * k + 2], ends[4 * k + 3]);
        ctx.moveTo(x0, y0);
        ctx.lineTo(x1, y1);
      }
      ctx.stroke();
    }
    ctx.setLineDash([]);
    ctx.globalAlpha = 1;
    this.drawThumbs(ctx);
    this.drawLabels(ctx, px);
    this.drawMarks(ctx);
    S.pictureAt = performance.now();
  }
  drawThumbs(ctx) {
    const st = this.st, thumbs = this.blobs.thumbs;
    if (!thumbs) return;
    const [n, c] = thumbs.shape;
    if (!this.lut) this.lut = st.lut.array;
    const image = new ImageData(c, c);
    const scratch = (this.scratch ??= document.createElement("canvas"));
    scratch.width = c;
    scratch.height = c;
    const sctx = scratch.getContext("2d");
    ctx.imageSmoothingEnabled = true;
    let k = 0;
    for (const column of st.columns) {
      for (const y of column.ys) {
        const codes = thumbs.array.subarray(k * c * c, (k + 1) * c * c);
        for (let p = 0; p < c * c; p++) {
          const entry = 4 * (codes[p] + 128);
          image.data.set(this.lut.subarray(entry, entry + 4), 4 * p);
        }
        sctx.putImageData(image, 0, 0);
        const [x0, y0] = this.toPx(column.x - st.thumb / 2, y + st.thumb / 2);
        const side = st.thumb * this.scale;
        ctx.drawImage(scratch, x0, y0, side, side);
        ctx.strokeStyle = st.ink;
        ctx.lineWidth = Math.max(1, this.scale * 0.01);
        ctx.strokeRect(x0, y0, side, side);
        k += 1;
      }
    }
  }
  fontPx(factor) { // a text's size in css px: font_px scaled, never below min_font_px (projector)
    const size = Math.max(this.st.min_font_px || 0, this.st.font_px * factor);
    this.smallestFont = Math.min(this.smallestFont ?? Infinity, size);
    this.canvas.dataset.minFontPx = String(this.smallestFont); // read by the layout tests
    return size;
  }
  font(factor, style = "") {
    return `${style}${this.fontPx(factor) * (window.devicePixelRatio || 1)}px ${this.st.font_family}`;
  }
  drawLabels(ctx) {
    const st = this.st, ratio = window.devicePixelRatio || 1;
    ctx.fillStyle = st.ink;
    ctx.textBaseline = "middle";
    ctx.font = this.font(1);
    for (const column of st.columns) {
      const [x, y] = this.toPx(column.x, st.y_range[1]);
      ctx.textAlign = "center";
      ctx.fillText(column.name, x, y + this.fontPx(1) * ratio);
      if (column.caption) {
        ctx.font = this.font(0.85);
        ctx.fillText(column.caption, x, y + (this.fontPx(1) + 1.2 * this.fontPx(0.85)) * ratio);
        ctx.font = this.font(1);
      }
    }
    ctx.textAlign = "right";
    st.input_labels.forEach((label, k) => {
      const [x, y] = this.toPx(st.columns[0].x - 0.62 * st.thumb, st.columns[0].ys[k]);
      ctx.fillText(label, x, y);
    });
    let hintsTop = null, hintsRight = 0;
    if (st.hints && this.frame.hints !== false) {
      ctx.textAlign = "left";
      ctx.font = this.font(0.85, "italic ");
      ctx.fillStyle = "#555";
      for (const [text, hx, hy] of st.hints) {
        const [x, y] = this.toPx(hx, hy);
        ctx.fillText(text, x, y);
        hintsRight = Math.max(hintsRight, x + ctx.measureText(text).width);
        hintsTop = Math.min(hintsTop ?? y, y - this.fontPx(0.85) * ratio);
      }
      const [left] = this.toPx(st.hints[0][1], 0);
      this.hintsBox = [left / ratio, hintsTop / ratio, hintsRight / ratio]; // css px, for the tests
    }
    if (st.legend) this.drawLegend(ctx, hintsRight, hintsTop);
  }
  drawLegend(ctx, hintsRight, hintsTop) {
    // bottom right; above the hints when they reach under it (a narrow canvas)
    const st = this.st, ratio = window.devicePixelRatio || 1;
    const w = 120 * ratio * st.line_scale, h = 8 * ratio, x = this.canvas.width - w - 8 * ratio;
    const labels = (this.fontPx(0.8) + 4) * ratio;
    let y = this.canvas.height - h - labels;
    if (hintsTop !== null && hintsRight > x - 8 * ratio) y = Math.min(y, hintsTop - h - labels - 4 * ratio);
    this.legendBox = [x / ratio, y / ratio, w / ratio, (h + labels) / ratio]; // css px, for the tests
    const gradient = ctx.createLinearGradient(x, 0, x + w, 0);
    st.legend.stops.forEach(([t, color]) => gradient.addColorStop(t, color));
    ctx.fillStyle = gradient;
    ctx.fillRect(x, y, w, h);
    ctx.strokeStyle = "#999";
    ctx.lineWidth = 1;
    ctx.strokeRect(x, y, w, h);
    ctx.fillStyle = st.ink;
    ctx.font = this.font(0.8);
    ctx.textBaseline = "top";
    st.legend.labels.forEach(([t, text]) => {
      ctx.textAlign = t === 0 ? "left" : t === 1 ? "right" : "center";
      ctx.fillText(text, x + t * w, y + h + 2 * ratio);
    });
  }
  drawMarks(ctx) {
    const marks = this.frame.marks || [];
    const ratio = window.devicePixelRatio || 1;
    for (const [shape, x, y, half, color] of marks) {
      const [cx, cy] = this.toPx(x, y);
      const r = half * this.scale;
      ctx.strokeStyle = color;
      ctx.lineWidth = 3 * ratio;
      ctx.beginPath();
      if (shape === "circle") ctx.arc(cx, cy, r, 0, 2 * Math.PI);
      else ctx.rect(cx - r, cy - r, 2 * r, 2 * r);
      ctx.stroke();
    }
  }
  target(event) { // the link or neuron under the pointer: ["link"|"neuron", index] or null
    const st = this.st;
    if (!st) return null;
    const rect = this.canvas.getBoundingClientRect();
    const x = st.x_range[0] + (event.clientX - rect.left) / this.cssScale;
    const y = st.y_range[1] - (event.clientY - rect.top) / this.cssScale;
    let k = 0;
    for (const column of st.columns) {
      for (const ny of column.ys) {
        if (Math.abs(x - column.x) <= st.thumb / 2 && Math.abs(y - ny) <= st.thumb / 2) return ["neuron", k];
        k += 1;
      }
    }
    const ends = st.ends.array, reach = Math.max(6 / this.cssScale, st.thumb * 0.05);
    let best = null, bestDistance = reach;
    for (let link = 0; link < ends.length / 4; link++) {
      const [x0, y0, x1, y1] = ends.subarray(4 * link, 4 * link + 4);
      const dx = x1 - x0, dy = y1 - y0, t = Math.max(0, Math.min(1, ((x - x0) * dx + (y - y0) * dy) / (dx * dx + dy * dy)));
      const distance = Math.hypot(x - (x0 + t * dx), y - (y0 + t * dy));
      if (distance < bestDistance) [best, bestDistance] = [link, distance];
    }
    return best === null ? null : ["link", best];
  }
  hover(event) {
    const hit = this.target(event), hover = this.frame?.hover;
    if (!hit || !hover) {
      this.tip.style.display = "none";
      this.canvas.style.cursor = "default";
      return;
    }
    const text = hit[0] === "link" ? hover.links[hit[1]] : hover.neurons[hit[1]];
    this.canvas.style.cursor = this.st.clickable ? "pointer" : "default";
    this.tip.textContent = text;
    this.tip.style.display = "block";
    const rect = this.root.getBoundingClientRect();
    this.tip.style.left = `${event.clientX - rect.left + 12}px`;
    this.tip.style.top = `${event.clientY - rect.top + 12}px`;
  }
  click(event) {
    const hit = this.target(event);
    if (hit && this.st.clickable) this.trigger("pick", { kind: hit[0], index: hit[1] });
  }
  locate(kind, index) { // client coordinates of a link's midpoint or a neuron's centre (tests)
    const st = this.st, rect = this.canvas.getBoundingClientRect();
    let x, y;
    if (kind === "link") {
      const e = st.ends.array.subarray(4 * index, 4 * index + 4);
      [x, y] = [e[0] + 0.5 * (e[2] - e[0]), e[1] + 0.5 * (e[3] - e[1])];
    } else {
      let k = 0;
      for (const column of st.columns) for (const ny of column.ys) { if (k === index) [x, y] = [column.x, ny]; k += 1; }
    }
    const [cx, cy] = this.toCss(x, y);
    return { x: rect.left + cx, y: rect.top + cy };
  }
  placeButtons() {
    const st = this.st;
    this.buttons.replaceChildren();
    if (!st.buttons) return;
    const make = (label, title, payload, disabled) => {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = label;
      button.title = title;
      button.setAttribute("aria-label", title);
      button.disabled = disabled;
      button.onclick = () => this.trigger("structure", payload);
      return button;
    };
    const layers = document.createElement("div");
    layers.className = "pg-net-layers";
    const count = document.createElement("span");
    count.textContent = st.buttons.layers_text;
    layers.append(make("−", "Remove a hidden layer", { layers: -1 }, !st.buttons.can_remove_layer), count,
                  make("+", "Add a hidden layer", { layers: 1 }, !st.buttons.can_add_layer));
    this.buttons.append(layers);
    st.buttons.columns.forEach(([column, canAdd, canRemove]) => {
      const group = document.createElement("div");
      group.className = "pg-net-neurons";
      const [x] = this.toCss(st.columns[column].x, 0);
      group.style.left = `${x}px`;
      group.append(make("−", `Remove a neuron from ${st.columns[column].name}`, { layer: column - 1, neurons: -1 }, !canRemove),
                   make("+", `Add a neuron to ${st.columns[column].name}`, { layer: column - 1, neurons: 1 }, !canAdd));
      this.buttons.append(group);
    });
    // Too narrow for one row (a phone): the layer buttons and the tools above, the neurons' below.
    this.buttons.classList.remove("pg-two-rows");
    const boxes = [...this.buttons.children, this.tools].map((e) => e.getBoundingClientRect());
    const overlap = (a, b) => a.left < b.right + 2 && b.left < a.right + 2 && a.top < b.bottom && b.top < a.bottom;
    if (boxes.some((a, i) => boxes.some((b, j) => i < j && a.width && b.width && overlap(a, b)))) {
      this.buttons.classList.add("pg-two-rows");
    }
  }
}

// --- plotly charts: the surface (an image under the points), the cost curve, and charts redrawn whole
// (the cost landscape, the gradient sizes): a frame's "figure" replaces the drawn one ------------------
class PlotlyView {
  constructor(root, trigger, kind) {
    this.root = root;
    this.kind = kind;
    this.trigger = trigger;
    root.className = `pg-${kind}`;
    this.preview = document.createElement("img"); // the surface before plotly is ready
    this.preview.className = "pg-preview";
    this.preview.alt = "";
    this.gd = document.createElement("div");
    this.gd.className = "pg-plotly";
    this.gd.dataset.testid = `pg-${kind}-chart`;
    root.append(this.preview, this.gd);
    this.drawn = false;
    new ResizeObserver(() => this.resize()).observe(root);
  }
  size() {
    const { width, vh, full } = fit(this);
    const st = this.st;
    if (full) {
      const height = vh - 2 * parseFloat(getComputedStyle(this.root).paddingTop || "0") - 4;
      return this.kind === "surface" ? { width: Math.min(width, height), height: Math.min(width, height) }
        : { width, height };
    }
    if (this.kind === "surface") {
      const side = Math.max(240, Math.min(width, vh * st.max_height_share));
      return { width: side, height: side };
    }
    return { width, height: Math.max(st.min_height, Math.min(st.max_height, vh * st.height_share)) };
  }
  setStatic(st, plotlyPromise, seq = 0) {
    // A new run's figure. Drawn once already: the surface's new picture goes in at once (a click's
    // answer, ~300 ms before plotly could redraw), and plotly redraws only when something besides
    // the picture changed (the points, the axes; a Step changes only the picture). Not drawn yet:
    // the picture shows as an image until plotly is there.
    const before = this.drawn ? this.plotKey() : null;
    this.st = st;
    this.figure = st.figure;
    // A cost curve's points from frames newer than this mount (the first frame of a Play often
    // comes over the WebSocket before Streamlit has rendered the run's mounts): kept, and added
    // to the mount's older figure (else the curve began one frame late: epoch 51 at speed 50).
    this.extended = (this.extended || []).filter((points) => points.seq > seq);
    this.extended.forEach((points) => this.append(points));
    const picture = this.kind === "surface" ? st.figure.layout.images?.[0]?.source || "" : null;
    if (this.drawn) {
      if (picture) this.setImage(picture);
      if (before === this.plotKey()) return;
    } else if (picture !== null) {
      const { width, height } = this.size();
      this.preview.src = picture;
      this.preview.style.width = `${width}px`;
      this.preview.style.height = `${height}px`;
      this.preview.style.display = "block";
    }
    plotlyPromise?.then((Plotly) => this.plot(Plotly)).catch((error) => {
      this.gd.textContent = `The chart could not be drawn (${error.message}).`;
    });
  }
  plotKey() { // what plotly draws, but the surface's picture (swapped in place: setImage)
    const { images, ...layout } = this.figure.layout;
    return JSON.stringify([this.figure.data, layout, images?.slice(1), this.st.config, this.size()]);
  }
  plot(Plotly) {
    // One Plotly.react at a time, the latest figure last. Two in flight with different configs
    // never end: plotly's react answers a changed config with newPlot and then react again, and
    // each call's config is the other's change (the page hung when Play came before plotly.js).
    if (this.plotting) {
      this.replot = Plotly;
      return this.plotting;
    }
    const { width, height } = this.size();
    const layout = { ...this.figure.layout, width, height, autosize: false };
    const first = !this.gd.classList.contains("js-plotly-plot");
    this.plotting = Plotly.react(this.gd, this.figure.data, layout, this.config()).then(() => {
      this.drawn = true;
      this.preview.style.display = "none";
      if (first && this.kind === "surface") {
        this.gd.on("plotly_click", (event) => this.click(event));
      }
      if (this.pendingImage) this.setImage(this.pendingImage);
    }).finally(() => {
      this.plotting = null;
      const again = this.replot;
      this.replot = null;
      if (again) return this.plot(again);
    });
    return this.plotting;
  }
  config() {
    // The same object while the run's config is the same: plotly compares configs by value and
    // functions by identity, so a new full-screen button each call would read as a new config
    // (a full newPlot instead of an update).
    const key = JSON.stringify(this.st.config || {});
    if (this.configKey !== key) {
      const config = { ...(this.st.config || {}), responsive: false };
      if (config.modeBarButtons && document.fullscreenEnabled) {
        this.fullscreen ||= fullscreenButton(this.root);
        config.modeBarButtons = [[...config.modeBarButtons[0], this.fullscreen]];
      }
      this.configKey = key;
      this.configObject = config;
    }
    return this.configObject;
  }
  resize() {
    if (!this.st || !this.drawn || !window.Plotly) return;
    const { width, height } = this.size();
    window.Plotly.relayout(this.gd, { width, height });
  }
  click(event) {
    if (!this.st.clickable || !event.points?.length) return;
    const point = event.points[0];
    this.trigger("click", { x: point.x, y: point.y });
  }
  setImage(url) {
    if (!this.drawn) {
      this.pendingImage = url;
      this.preview.src = url;
      return;
    }
    this.pendingImage = null;
    const old = this.imageUrl;
    this.imageUrl = url;
    const revoke = () => { if (old && old.startsWith("blob:")) URL.revokeObjectURL(old); };
    if (this.kind === "surface" && url !== old) S.pictureAt = performance.now();
    // plotly's own <image> takes the new source in place, and its layout records it for any later
    // redraw: Plotly.relayout would redraw both axes too (~15 ms, half of a frame at 30 frames/s).
    const element = this.gd.querySelector(".imagelayer image, .layer-below image");
    const images = this.gd.layout?.images, full = this.gd._fullLayout?.images;
    if (element && images?.[0] && full?.[0]) {
      element.setAttributeNS("http://www.w3.org/1999/xlink", "href", url);
      element._imgSrc = url;
      images[0].source = url;
      full[0].source = url;
      revoke();
      return;
    }
    window.Plotly.relayout(this.gd, { "images[0].source": url }).then(revoke);
  }
  update(frame, blobs, seq = 0) {
    if (this.kind === "surface") {
      if (blobs.png) this.setImage(URL.createObjectURL(new Blob([blobs.png.array], { type: "image/png" })));
      return;
    }
    if (frame.figure) {
      this.figure = frame.figure;
      if (this.drawn) this.plot(window.Plotly);
      return;
    }
    if (!frame.traces) return;
    const xs = [], ys = [], texts = [], indices = [];
    frame.traces.forEach((index) => {
      const x = blobs[`x${index}`]?.array, y = blobs[`y${index}`]?.array;
      if (!x || !x.length) return;
      xs.push(Array.from(x));
      ys.push(Array.from(y));
      texts.push(frame.texts[String(index)]);
      indices.push(index);
    });
    if (!indices.length) return;
    (this.extended ||= []).push({ seq, indices, xs, ys, texts });
    if (this.drawn) {
      window.Plotly.extendTraces(this.gd, { x: xs, y: ys, text: texts }, indices);
      return;
    }
    // Not drawn yet (plotly.js still loading when Play came): the points go into the figure it
    // will draw. Dropped, the curve began wherever playing had got to by then (epoch 50-1,100).
    this.append({ indices, xs, ys, texts });
  }
  append({ indices, xs, ys, texts }) { // points into the figure not drawn yet
    indices.forEach((index, k) => {
      const trace = this.figure?.data?.[index];
      if (!trace || !Array.isArray(trace.x) || !Array.isArray(trace.y)) return;
      trace.x.push(...xs[k]);
      trace.y.push(...ys[k]);
      if (Array.isArray(trace.text) && texts[k]) trace.text.push(...texts[k]);
    });
  }
}

// --- the session kept in this browser (playground/session/backup.py) ------------------------------
// Each kept session is one localStorage entry "pg-backup:<session id>" = {epoch, saved, session}
// (the session file's text, or null when the browser refused its size); at most BACKUP_KEEP of
// them, the newest. sessionStorage remembers this tab's session id, so that after a restart the
// tab is offered its own earlier session before another tab's.
const BACKUP_PREFIX = "pg-backup:", TAB_SESSION = "pg-session-id", BACKUP_KEEP = 3;

function keptSessions() {
  const kept = [];
  for (let k = 0; k < localStorage.length; k++) {
    const name = localStorage.key(k);
    if (!name?.startsWith(BACKUP_PREFIX)) continue;
    try {
      const entry = JSON.parse(localStorage.getItem(name));
      if (entry && Number.isInteger(entry.epoch)) kept.push({ id: name.slice(BACKUP_PREFIX.length), ...entry });
    } catch (error) { localStorage.removeItem(name); }
  }
  return kept.sort((a, b) => b.saved - a.saved);
}

class BackupView {
  constructor(root, trigger) {
    this.root = root;
    this.trigger = trigger;
    root.className = "pg-backup";
  }
  setStatic(st) {
    this.st = st;
    if (st.asking && S.askedFor !== st.id) this.answer();
    S.restPending = Boolean(st.ask_rest); // plotly waits for the whole page (loadPlotly)
    if (st.ask_rest && S.restFor !== st.id) { // a first visit: the views are drawn, now the rest
      S.restFor = st.id;
      requestAnimationFrame(() => setTimeout(() => this.trigger("rest", true), 0)); // after this paint
    }
  }
  update(frame, blobs) {
    if (this.st && frame.epoch && blobs.session) this.keep(frame.epoch, new TextDecoder().decode(blobs.session.array));
  }
  keep(epoch, session) {
    const id = this.st.id, name = BACKUP_PREFIX + id;
    try { sessionStorage.setItem(TAB_SESSION, id); } catch (error) { /* storage off: nothing kept */ }
    for (const old of keptSessions().filter((entry) => entry.id !== id).slice(BACKUP_KEEP - 1)) {
      localStorage.removeItem(BACKUP_PREFIX + old.id);
    }
    for (const text of [session, session, null]) { // over the quota: others go, then the session
      try {
        localStorage.setItem(name, JSON.stringify({ epoch, saved: Date.now(), session: text }));
        S.kept = { epoch, bytes: text ? text.length : 0 }; // for tests and benchmarks
        return;
      } catch (error) {
        for (const old of keptSessions().filter((entry) => entry.id !== id)) localStorage.removeItem(BACKUP_PREFIX + old.id);
      }
    }
  }
  answer() { // a new session at epoch 0 asks: an earlier session of this tab, else the newest
    S.askedFor = this.st.id;
    let kept = [];
    let mine = null;
    try {
      kept = keptSessions().filter((entry) => entry.id !== this.st.id);
      mine = sessionStorage.getItem(TAB_SESSION);
    } catch (error) { return; }
    const earlier = kept.find((entry) => entry.id === mine) || kept[0];
    if (earlier && earlier.epoch > 0) this.trigger("stored", { epoch: earlier.epoch, session: earlier.session });
  }
}

// plotly's modebar has no full screen: this button shows the chart's container on the whole screen.
const FULLSCREEN_ICON = { width: 1000, height: 1000,
  path: "M0 380V0h380v110H110v270zM620 0h380v380H890V110H620zM1000 620v380H620V890h270V620zM380 1000H0V620h110v270h270z" };

function toggleFullscreen(root) {
  return document.fullscreenElement ? document.exitFullscreen() : root.requestFullscreen();
}

function fullscreenButton(root) {
  return { name: "fullscreen", title: "Full screen", icon: FULLSCREEN_ICON, click: () => toggleFullscreen(root) };
}

function toolbar(root, dataUrl, filename) {
  const bar = document.createElement("div");
  bar.className = "pg-tools";
  const png = document.createElement("button");
  png.type = "button";
  png.textContent = "PNG";
  png.title = "Download as PNG";
  png.onclick = () => {
    const link = document.createElement("a");
    link.href = dataUrl();
    link.download = filename;
    link.click();
  };
  const full = document.createElement("button");
  full.type = "button";
  full.innerHTML = '<svg width="14" height="14" viewBox="0 0 14 14" fill="none" stroke="currentColor" stroke-width="1.6"><path d="M1 5V1h4M9 1h4v4M13 9v4H9M5 13H1V9"/></svg>';
  full.title = "Full screen";
  full.setAttribute("aria-label", "Full screen");
  full.onclick = () => toggleFullscreen(root);
  bar.append(png, full);
  root.append(bar);
  return bar;
}

// --- the component -------------------------------------------------------------------------------
function makeView(kind, root, trigger) {
  if (kind === "stats") return new StatsView(root);
  if (kind === "network") return new NetworkView(root, trigger);
  if (kind === "backup") return new BackupView(root, trigger);
  return new PlotlyView(root, trigger, kind); // "surface", "cost", "landscape", "gradient_sizes"
}

// A help icon (?) sits inside its switch's or tickbox's <label>: a click on it flipped the control
// (Projector's turned projector mode on), and a tap on a phone flipped it without showing the
// help. The click now only shows the help: it never reaches the label or the control.
function guardHelpIcons() {
  if (S.helpGuarded) return;
  S.helpGuarded = true;
  let label = null, at = 0; // the label of the icon just clicked: a click on it follows at once
  window.addEventListener("click", (event) => {
    const icon = event.target.closest?.('[data-testid="stTooltipHoverTarget"]');
    if (icon?.closest("label")) {
      label = icon.closest("label");
      at = performance.now();
    } else if (event.target !== label || performance.now() - at > 500) {
      return;
    }
    event.preventDefault(); // the label's activation
    event.stopPropagation(); // and the control's own click handler (React's, under the window)
  }, true);
}

export default function ({ data, parentElement, setTriggerValue }) {
  const { header, blobs } = decode(data);
  const mount = header.mount;
  const slot = mount.slot;
  let view = S.views.get(slot);
  if (!view || view.kind_ !== mount.kind) {
    const root = document.createElement("div");
    view = makeView(mount.kind, root, (name, value) => view.sendTrigger(name, value));
    view.kind_ = mount.kind;
    S.views.set(slot, view);
  }
  view.sendTrigger = setTriggerValue;
  if (view.root.parentNode !== parentElement) parentElement.replaceChildren(view.root);
  const plotly = mount.kind !== "stats" && mount.kind !== "network" ? loadPlotly(mount.plotly) : null;
  if (mount.plotly) loadPlotly(mount.plotly); // whatever mounts first starts the wait for the page
  const st = { ...mount.static };
  for (const [name, blob] of Object.entries(blobs[slot] || {})) if (name.startsWith("static_")) st[name.slice(7)] = blob;
  view.setStatic(st, plotly, header.seq);
  view.update(header.slots[slot] || {}, blobs[slot] || {}, header.seq);
  S.lastSeq = Math.max(S.lastSeq, header.seq);
  connect(mount.token, mount.ws);
  watchHiddenFrames();
  guardHelpIcons();
}

window.__pgLocate = (kind, index) => S.views.get("network")?.locate(kind, index); // for tests
