// A line chart as a standalone SVG document, for the benches' --svg: linear axes from 0 to
// a rounded maximum, five ticks each, one polyline and marker set per series, a legend.
// Plain text in, plain text out; the caller writes the file.

export interface ChartSeries {
  name: string;
  /** [x, y] pairs in the axes' units. */
  points: readonly (readonly [number, number])[];
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly ChartSeries[];
}

const width = 640;
const height = 400;
const margin = { left: 70, right: 170, top: 40, bottom: 50 };
const colours = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#17becf"];
const ticks = 5;

/** The smallest 1, 2 or 5 times a power of ten at or above `value` (1 for nothing). */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function tickLabel(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(3).replace(/\.?0+$/, "");
}

export function lineChartSvg(chart: LineChart): string {
  const all = chart.series.flatMap((series) => series.points);
  const xMax = niceCeiling(Math.max(0, ...all.map(([x]) => x)));
  const yMax = niceCeiling(Math.max(0, ...all.map(([, y]) => y)));
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const px = (x: number) => (margin.left + (x / xMax) * plotWidth).toFixed(1);
  const py = (y: number) => (margin.top + plotHeight - (y / yMax) * plotHeight).toFixed(1);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    // The title element is the chart's alternative text for screen readers.
    `<title>${escapeText(chart.title)}</title>`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15">${escapeText(chart.title)}</text>`,
  ];
  for (let index = 0; index <= ticks; index++) {
    const x = (xMax * index) / ticks;
    const y = (yMax * index) / ticks;
    parts.push(
      `<line x1="${px(x)}" y1="${py(0)}" x2="${px(x)}" y2="${py(yMax)}" stroke="#ddd"/>`,
      `<text x="${px(x)}" y="${margin.top + plotHeight + 18}" text-anchor="middle">${tickLabel(x)}</text>`,
      `<line x1="${px(0)}" y1="${py(y)}" x2="${px(xMax)}" y2="${py(y)}" stroke="#ddd"/>`,
      `<text x="${margin.left - 8}" y="${py(y)}" text-anchor="end" dominant-baseline="middle">${tickLabel(y)}</text>`,
    );
  }
  parts.push(
    `<rect x="${margin.left}" y="${margin.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="black"/>`,
    `<text x="${margin.left + plotWidth / 2}" y="${height - 12}" text-anchor="middle">${escapeText(chart.xLabel)}</text>`,
    `<text transform="translate(18 ${margin.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">${escapeText(chart.yLabel)}</text>`,
  );
  chart.series.forEach((series, index) => {
    const colour = colours[index % colours.length]!;
    const points = series.points.map(([x, y]) => `${px(x)},${py(y)}`).join(" ");
    parts.push(`<polyline points="${points}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    for (const [x, y] of series.points) {
      parts.push(`<circle cx="${px(x)}" cy="${py(y)}" r="3" fill="${colour}"/>`);
    }
    const legendY = margin.top + 10 + index * 20;
    const legendX = margin.left + plotWidth + 15;
    parts.push(
      `<line x1="${legendX}" y1="${legendY}" x2="${legendX + 20}" y2="${legendY}" stroke="${colour}" stroke-width="2"/>`,
      `<text x="${legendX + 26}" y="${legendY}" dominant-baseline="middle">${escapeText(series.name)}</text>`,
    );
  });
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}
