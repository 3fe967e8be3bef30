// Charts with Chart.js (bundled by esbuild, nothing from a CDN): tooltips, legends and
// resizing come with it, which hand-drawn SVG would have to re-implement. Only the pieces
// used are registered, to keep the bundle small. Each chart lives in a `.chart-body` box
// whose `data-points` says how many non-zero values it draws and `data-drawn` that it is
// drawn (read by the browser tests).

import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  DoughnutController,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from "chart.js";
import { h } from "../../src/ui/dom.js";

Chart.register(
  ArcElement, BarController, BarElement, CategoryScale, DoughnutController, Legend,
  LinearScale, LineController, LineElement, PointElement, Tooltip,
);
// Figures appear at once (and screenshots and printouts never catch a half-drawn bar).
Chart.defaults.animation = false;
Chart.defaults.font.family = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';

export const COLORS = ["#2f6fb3", "#2e8b57", "#c9822b", "#b8322a", "#7a5cb0", "#3a9aa8", "#8a8f2e", "#a0526d"];

export interface Series {
  label: string;
  values: number[];
}

/** A bar chart of one or more series over `labels` (horizontal when there are many labels). */
export function bars(labels: string[], series: Series[], options: { horizontal?: boolean; stacked?: boolean; percent?: boolean } = {}): HTMLElement {
  const value = options.horizontal ? "x" : "y";
  const percent = options.percent ? { callback: (tick: string | number) => `${tick}%` } : {};
  return chart(points(series), {
    type: "bar",
    data: {
      labels,
      datasets: series.map((s, i) => ({ label: s.label, data: s.values, backgroundColor: COLORS[i % COLORS.length] })),
    },
    options: {
      indexAxis: options.horizontal ? "y" : "x",
      responsive: true,
      maintainAspectRatio: false,
      plugins: { legend: { display: series.length > 1, position: "bottom" } },
      scales: {
        x: { stacked: options.stacked, beginAtZero: true, ticks: value === "x" ? { precision: 0, ...percent } : { autoSkip: false, maxRotation: 45 } },
        y: { stacked: options.stacked, beginAtZero: true, ticks: value === "y" ? { precision: 0, ...percent } : { autoSkip: false } },
      },
    },
  });
}

/** A line chart (a trend over weeks or months). */
export function lines(labels: string[], series: Series[]): HTMLElement {
  return chart(points(series), {
    type: "line",
    data: {
      labels,
      datasets: series.map((s, i) => ({
        label: s.label, data: s.values, borderColor: COLORS[i % COLORS.length],
        backgroundColor: COLORS[i % COLORS.length], tension: 0.25,
      })),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      plugins: { legend: { position: "bottom" } },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
}

/** A doughnut of shares (channels, close reasons). */
export function doughnut(labels: string[], values: number[]): HTMLElement {
  return chart(points([{ label: "", values }]), {
    type: "doughnut",
    data: { labels, datasets: [{ data: values, backgroundColor: labels.map((_, i) => COLORS[i % COLORS.length]) }] },
    options: { responsive: true, maintainAspectRatio: false, plugins: { legend: { position: "right" } } },
  });
}

function points(series: Series[]): number {
  return series.reduce((sum, s) => sum + s.values.filter((v) => v > 0).length, 0);
}

/** Charts built but not yet drawn: Chart.js measures its box, so it draws once in the page. */
const waiting = new WeakMap<HTMLCanvasElement, ChartConfiguration>();

function chart(nonZero: number, config: ChartConfiguration): HTMLElement {
  const canvas = h("canvas", { role: "img" }) as HTMLCanvasElement;
  waiting.set(canvas, config);
  return h("div", { class: "chart-body", "data-points": nonZero }, canvas);
}

/** Draws the charts under `root` (call once it is in the page); marks each `data-drawn`. */
export function drawCharts(root: Element): void {
  for (const canvas of Array.from(root.querySelectorAll("canvas"))) {
    const config = waiting.get(canvas);
    if (!config) continue;
    waiting.delete(canvas);
    new Chart(canvas, config);
    canvas.parentElement?.setAttribute("data-drawn", "");
  }
}

/** Redraws every chart at its box's size (before printing, the page is narrower). */
export function resizeCharts(): void {
  for (const canvas of Array.from(document.querySelectorAll("canvas"))) {
    Chart.getChart(canvas)?.resize();
  }
}

/** Frees the charts under `root` before it is redrawn. */
export function destroyCharts(root: Element): void {
  for (const canvas of Array.from(root.querySelectorAll("canvas"))) {
    Chart.getChart(canvas)?.destroy();
  }
}
