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

export default function ({ data, parentElement }) {
  const update = JSON.parse(new TextDecoder().decode(data)); // {slot, height, src, config, figure}
  const gd = chartDiv(update.slot);
  gd.style.height = `${update.height}px`;
  parentElement.appendChild(gd); // moves it from the previous frame's element
  loadPlotly(update.src)
    .then((Plotly) => Plotly.react(gd, update.figure.data, update.figure.layout, update.config))
    .catch((error) => {
      gd.textContent = `The chart could not be drawn (${error.message}). Pause to see it.`;
    });
}
