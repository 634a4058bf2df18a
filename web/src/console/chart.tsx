// Charts drawn with Observable Plot (SVG). Under the app's strict CSP no
// inline <style> may be applied, so the one Plot puts in each SVG is taken
// out before the chart reaches the page (its rules are in main.scss); the
// legend is our own list. Every chart has its table beneath it.
import { barY, plot, ruleY } from "@observablehq/plot";
import { useEffect, useRef } from "preact/hooks";

/** NHS.UK colours, in an order that keeps neighbours apart. */
export const PALETTE = [
  "#005eb8",
  "#007f3b",
  "#ffb81c",
  "#330072",
  "#ae2573",
  "#ed8b00",
  "#00a499",
  "#d5281b",
  "#41b6e6",
  "#425563",
  "#7c2855",
  "#78be20",
];

export interface Bar {
  x: string;
  y: number;
  series: string;
}

/** A stacked bar chart. The x values sort as given (`2026-10`, a week's
 * Monday); `xFormat` names them on the axis ("Oct 2026"). */
export function BarChart({
  data,
  title,
  yLabel,
  seriesOrder,
  xFormat,
}: {
  data: Bar[];
  title: string;
  yLabel: string;
  seriesOrder?: string[];
  xFormat?: (x: string) => string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const series = seriesOrder ?? Array.from(new Set(data.map((d) => d.series)));
  const xs = Array.from(new Set(data.map((d) => d.x))).sort();
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const width = Math.max(320, el.clientWidth || 640);
    const svg = plot({
      width,
      height: 320,
      marginLeft: 56,
      marginBottom: 40,
      ariaLabel: title,
      ariaDescription: "The same figures are in the table below the chart.",
      x: { domain: xs, label: null, tickRotate: xs.length > 8 ? -30 : 0, ...(xFormat ? { tickFormat: xFormat } : {}) },
      y: { grid: true, label: yLabel },
      color: { domain: series, range: PALETTE },
      style: { fontSize: "14px", fontFamily: "arial, sans-serif", background: "transparent" },
      marks: [
        barY(data, { x: "x", y: "y", fill: "series", title: (d: Bar) => `${d.series}, ${xFormat ? xFormat(d.x) : d.x}: ${d.y}` }),
        ruleY([0]),
      ],
    });
    svg.querySelectorAll("style").forEach((s) => s.remove());
    // One image with its name; the marks' own labels (on <g>, where ARIA
    // does not allow them) go: the table beneath carries the figures.
    svg.querySelectorAll("[aria-label]").forEach((g) => g.removeAttribute("aria-label"));
    svg.setAttribute("role", "img");
    svg.classList.add("app-chart__svg");
    el.replaceChildren(svg);
  }, [JSON.stringify(data), title, yLabel]);
  return (
    <figure class="app-chart">
      {series.length > 1 && <Legend series={series} />}
      <div class="app-chart__plot" ref={ref} />
    </figure>
  );
}

function Legend({ series }: { series: string[] }) {
  return (
    <ul class="app-chart__legend" aria-label="Key">
      {series.map((s, i) => (
        <li key={s}>
          <Swatch colour={PALETTE[i % PALETTE.length]} />
          {s}
        </li>
      ))}
    </ul>
  );
}

/** A colour swatch: set through the CSSOM (allowed by the CSP), not an
 * inline style attribute. */
function Swatch({ colour }: { colour: string }) {
  const ref = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.style.backgroundColor = colour;
  }, [colour]);
  return <span class="app-chart__swatch" ref={ref} aria-hidden="true" />;
}
