// A plotly chart that stays mounted while the playground plays (see playground/live_chart.py).
// Streamlit remounts an st.plotly_chart for every new figure and plots it twice; here each chart
// slot keeps one plotly div for the page's lifetime and every frame only calls Plotly.react on it.
const charts = (window.__playgroundCharts ??= new Map()); // slot name -> plotly div

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

// The newest payload per slot waits for the next animation frame: when frames arrive faster than
// the browser paints (a big diagram, a busy machine), only the latest is drawn.
const waiting = (window.__playgroundWaiting ??= new Map()); // slot name -> undrawn payload bytes

function drawLatest(slot) {
  const bytes = waiting.get(slot);
  waiting.delete(slot);
  const update = JSON.parse(new TextDecoder().decode(bytes)); // {height, src, config, figure}
  const gd = chartDiv(slot);
  gd.style.height = `${update.height}px`;
  loadPlotly(update.src)
    .then((Plotly) => Plotly.react(gd, update.figure.data, update.figure.layout, update.config))
    .catch((error) => {
      gd.textContent = `The chart could not be drawn (${error.message}). Pause to see it.`;
    });
}

export default function ({ data, parentElement }) {
  const newline = data.indexOf(10); // data: "<slot>\n<JSON>" as UTF-8 bytes
  const slot = new TextDecoder().decode(data.subarray(0, newline));
  parentElement.appendChild(chartDiv(slot)); // moves it from the previous frame's element
  if (!waiting.has(slot)) requestAnimationFrame(() => drawLatest(slot));
  waiting.set(slot, data.subarray(newline + 1));
}
