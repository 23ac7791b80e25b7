/**
 * @module Chart.js, loaded on first use from this server (`/assets/vendor/chart.umd.min.js`,
 * served out of node_modules; no CDN), and the few chart shapes the reports use.
 */

/** Outcome colours, shared by every chart so "missed" is the same red everywhere. */
export const COLORS = {
  answered: '#16a34a',
  elsewhere: '#0d9488',
  missed: '#dc2626',
  short: '#f59e0b',
  neutral: '#64748b',
  outcomes: ['#16a34a', '#2563eb', '#f59e0b', '#dc2626', '#7c3aed'],
};

/**
 * @typedef {{ new (canvas: HTMLCanvasElement, config: object): { destroy(): void },
 *   defaults: { animation: boolean, maintainAspectRatio: boolean, font: { family: string }, color: string,
 *     plugins: { legend: { labels: { boxWidth: number } } } } }} ChartGlobal
 */

/** @type {Promise<ChartGlobal> | null} */
let loading = null;

/** @returns {Promise<ChartGlobal>} the Chart constructor */
export function loadChart() {
  // Chart.js's UMD build announces itself as a global: the one untyped seam of the page.
  const w = /** @type {{ Chart?: ChartGlobal }} */ (/** @type {unknown} */ (window));
  if (w.Chart) return Promise.resolve(w.Chart);
  loading ??= new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = '/assets/vendor/chart.umd.min.js';
    s.onload = () => {
      const Chart = w.Chart;
      // Live data redraws often; animation would only make numbers hard to read.
      Chart.defaults.animation = false;
      Chart.defaults.maintainAspectRatio = false;
      Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
      Chart.defaults.color = '#334155';
      Chart.defaults.plugins.legend.labels.boxWidth = 12;
      resolve(Chart);
    };
    s.onerror = () => { loading = null; reject(new Error('the chart library did not load')); };
    document.head.appendChild(s);
  });
  return loading;
}

/**
 * A stacked bar chart of outcome counts per label.
 * @param {any} Chart @param {HTMLCanvasElement} canvas @param {string[]} labels
 * @param {{ label: string, data: number[], color: string }[]} series
 */
export function stackedBars(Chart, canvas, labels, series) {
  return new Chart(canvas, {
    type: 'bar',
    data: { labels, datasets: series.map((s) => ({ label: s.label, data: s.data, backgroundColor: s.color, borderWidth: 0, maxBarThickness: 36 })) },
    options: {
      responsive: true,
      interaction: { mode: 'index', intersect: false },
      scales: { x: { stacked: true, grid: { display: false } }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
      plugins: { legend: { position: 'bottom' } },
    },
  });
}

/** @param {any} Chart @param {HTMLCanvasElement} canvas @param {string[]} labels @param {number[]} data @param {string[]} colors */
export function doughnut(Chart, canvas, labels, data, colors) {
  return new Chart(canvas, {
    type: 'doughnut',
    data: { labels, datasets: [{ data, backgroundColor: colors, borderWidth: 1 }] },
    options: { responsive: true, cutout: '60%', plugins: { legend: { position: 'right' } } },
  });
}

/**
 * Missed rates (0–1) as lines, one per series, on a 0–100 % axis; hours or days without calls are gaps.
 * @param {any} Chart @param {HTMLCanvasElement} canvas @param {string[]} labels
 * @param {{ label: string, data: (number | null)[], color: string }[]} series
 */
export function rateLines(Chart, canvas, labels, series) {
  return new Chart(canvas, {
    type: 'line',
    data: {
      labels,
      datasets: series.map((s) => ({
        label: s.label, data: s.data.map((v) => (v === null ? null : Math.round(v * 1000) / 10)), borderColor: s.color,
        backgroundColor: s.color, spanGaps: false, tension: 0.2, pointRadius: 3,
      })),
    },
    options: {
      responsive: true,
      interaction: { mode: 'index', intersect: false },
      scales: { x: { grid: { display: false } }, y: { beginAtZero: true, max: 100, ticks: { callback: (/** @type {number} */ v) => `${v} %` } } },
      plugins: { legend: { position: 'bottom' } },
    },
  });
}

/** Distinct line colours for teams and extensions. */
export const SERIES_COLORS = ['#dc2626', '#2563eb', '#16a34a', '#7c3aed', '#f59e0b', '#0d9488', '#db2777', '#64748b'];
