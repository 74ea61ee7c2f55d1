// A plotly chart that stays mounted while the playground plays (see playground/live/chart.py).
// Streamlit remounts an st.plotly_chart for every new figure and plots it twice; here each chart
// slot keeps one plotly div for the page's lifetime. The component is mounted once per script run;
// each frame's figure arrives in a hidden element `.pg-live-data[data-slot]` elsewhere on the page,
// and only the newest one per slot is drawn, with Plotly.react, at the next animation frame.
const charts = (window.__playgroundCharts ??= new Map()); // slot name -> plotly div
const waiting = (window.__playgroundWaiting ??= new Map()); // slot name -> undrawn data element
const queued = (window.__playgroundQueued ??= new WeakMap()); // data element -> text last queued

function loadPlotly(src) {
  window.__playgroundPlotly ??= new Promise((resolve, reject) => {
    if (window.Plotly) return resolve(window.Plotly);
    const script = document.createElement("script");
    script.src = new URL(src, document.baseURI).href;
    script.onload = () => (window.Plotly ? resolve(window.Plotly) : reject(new Error("no Plotly")));
    script.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.appendChild(script);
  });
  return window.__playgroundPlotly;
}

function chartDiv(slot) {
  let gd = charts.get(slot);
  if (!gd) {
    gd = document.createElement("div");
    gd.className = "pg-live-chart";
    gd.dataset.slot = slot;
    charts.set(slot, gd);
  }
  return gd;
}

function drawLatest(slot) {
  const element = waiting.get(slot);
  waiting.delete(slot);
  const update = JSON.parse(queued.get(element)); // {height, src, config, figure}
  const gd = chartDiv(slot);
  gd.style.height = `${update.height}px`;
  loadPlotly(update.src)
    .then((Plotly) => Plotly.react(gd, update.figure.data, update.figure.layout, update.config))
    .catch((error) => {
      gd.textContent = `The chart could not be drawn (${error.message}). Pause to see it.`;
    });
}

function queueNewFrames() {
  for (const element of document.querySelectorAll(".pg-live-data[data-slot]")) {
    const text = element.textContent; // Streamlit may rewrite the same element's text
    if (queued.get(element) === text) continue;
    queued.set(element, text);
    const slot = element.dataset.slot;
    if (!waiting.has(slot)) requestAnimationFrame(() => drawLatest(slot));
    waiting.set(slot, element);
  }
}

export default function ({ data, parentElement }) {
  const slot = new TextDecoder().decode(data); // data: the slot's name, UTF-8
  parentElement.appendChild(chartDiv(slot));
  if (!window.__playgroundObserver) {
    window.__playgroundObserver = new MutationObserver(queueNewFrames);
    window.__playgroundObserver.observe(document.body,
                                        { childList: true, subtree: true, characterData: true });
  }
  queueNewFrames();
}
