/**
 * The committed plot of the memory bench (docs/performance.svg): peak RSS and rows/s against rows
 * exported, drawn from the run's own numbers as hand-written SVG (no dependency). Rows on a log
 * axis; RSS on the left axis, rows/s on the right.
 */

export interface PlotPoint {
  readonly rows: number;
  readonly maxRssMiB: number;
  readonly rowsPerSecond: number;
}

const WIDTH = 640;
const HEIGHT = 360;
const MARGIN = { left: 70, right: 80, top: 40, bottom: 50 };

/** An SVG document plotting `points` (at least one), titled `title`. */
export function plotSvg(points: readonly PlotPoint[], title: string, rssTargetMiB?: number): string {
  const sorted = [...points].sort((a, b) => a.rows - b.rows);
  const innerW = WIDTH - MARGIN.left - MARGIN.right;
  const innerH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const logMin = Math.log10(Math.min(...sorted.map((p) => p.rows)) / 2);
  const logMax = Math.log10(Math.max(...sorted.map((p) => p.rows)) * 2);
  const x = (rows: number) => MARGIN.left + ((Math.log10(rows) - logMin) / (logMax - logMin)) * innerW;
  const rssMax = niceMax(Math.max(...sorted.map((p) => p.maxRssMiB), rssTargetMiB ?? 0));
  const rateMax = niceMax(Math.max(...sorted.map((p) => p.rowsPerSecond)));
  const yRss = (v: number) => MARGIN.top + innerH - (v / rssMax) * innerH;
  const yRate = (v: number) => MARGIN.top + innerH - (v / rateMax) * innerH;
  const line = (ys: (p: PlotPoint) => number) =>
    sorted.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.rows).toFixed(1)},${ys(p).toFixed(1)}`).join(' ');
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="14">${escapeXml(title)}</text>`,
    `<line x1="${MARGIN.left}" y1="${MARGIN.top + innerH}" x2="${MARGIN.left + innerW}" y2="${MARGIN.top + innerH}" stroke="black"/>`,
    `<line x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${MARGIN.top + innerH}" stroke="#1f77b4"/>`,
    `<line x1="${MARGIN.left + innerW}" y1="${MARGIN.top}" x2="${MARGIN.left + innerW}" y2="${MARGIN.top + innerH}" stroke="#d62728"/>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const rss = (rssMax * i) / 4;
    const rate = (rateMax * i) / 4;
    parts.push(
      `<text x="${MARGIN.left - 6}" y="${yRss(rss) + 4}" text-anchor="end" fill="#1f77b4">${Math.round(rss)}</text>`,
      `<text x="${MARGIN.left + innerW + 6}" y="${yRate(rate) + 4}" fill="#d62728">${formatCount(rate)}</text>`,
    );
  }
  for (const p of sorted) {
    parts.push(
      `<text x="${x(p.rows).toFixed(1)}" y="${MARGIN.top + innerH + 18}" text-anchor="middle">${formatCount(p.rows)}</text>`,
      `<circle cx="${x(p.rows).toFixed(1)}" cy="${yRss(p.maxRssMiB).toFixed(1)}" r="4" fill="#1f77b4"/>`,
      `<circle cx="${x(p.rows).toFixed(1)}" cy="${yRate(p.rowsPerSecond).toFixed(1)}" r="4" fill="#d62728"/>`,
    );
  }
  if (rssTargetMiB !== undefined) {
    parts.push(
      `<line x1="${MARGIN.left}" y1="${yRss(rssTargetMiB)}" x2="${MARGIN.left + innerW}" y2="${yRss(rssTargetMiB)}" stroke="#1f77b4" stroke-dasharray="4 4"/>`,
      `<text x="${MARGIN.left + 4}" y="${yRss(rssTargetMiB) - 4}" fill="#1f77b4">target ${rssTargetMiB} MiB</text>`,
    );
  }
  parts.push(
    `<path d="${line((p) => yRss(p.maxRssMiB))}" fill="none" stroke="#1f77b4" stroke-width="2"/>`,
    `<path d="${line((p) => yRate(p.rowsPerSecond))}" fill="none" stroke="#d62728" stroke-width="2"/>`,
    `<text x="${MARGIN.left + innerW / 2}" y="${HEIGHT - 10}" text-anchor="middle">rows exported (log scale)</text>`,
    `<text transform="translate(16 ${MARGIN.top + innerH / 2}) rotate(-90)" text-anchor="middle" fill="#1f77b4">peak RSS (MiB)</text>`,
    `<text transform="translate(${WIDTH - 14} ${MARGIN.top + innerH / 2}) rotate(90)" text-anchor="middle" fill="#d62728">rows/s</text>`,
    '</svg>',
  );
  return `${parts.join('\n')}\n`;
}

/** 1, 2 or 5 times a power of ten, at least `value`. */
function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 5, 10].find((m) => m * power >= value) ?? 10) * power;
}

function formatCount(n: number): string {
  if (n >= 1e6) return `${+(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${+(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
