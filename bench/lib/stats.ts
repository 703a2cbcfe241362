/** Percentiles, medians and Markdown tables for the benchmark report. */

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function summarize(values: ArrayLike<number>): {
  n: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
} {
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : NaN,
    mean: sum / sorted.length,
  };
}

export function median(values: number[]): number {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return NaN;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}

export function fmtMs(v: number): string {
  if (!Number.isFinite(v)) return '—';
  if (v >= 100) return `${v.toFixed(0)} ms`;
  if (v >= 10) return `${v.toFixed(1)} ms`;
  return `${v.toFixed(2)} ms`;
}

export function fmtRatio(ours: number, reference: number): string {
  if (!Number.isFinite(ours) || !Number.isFinite(reference) || reference <= 0) return '—';
  return `${(ours / reference).toFixed(2)}×`;
}

export function fmtBytes(v: number): string {
  if (!Number.isFinite(v)) return '—';
  if (Math.abs(v) >= 1024 * 1024) return `${(v / 1024 / 1024).toFixed(2)} MiB`;
  if (Math.abs(v) >= 1024) return `${(v / 1024).toFixed(1)} KiB`;
  return `${v.toFixed(0)} B`;
}

export const fmtPct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(v >= 0.9995 ? 0 : 2)} %` : '—');

export interface Table {
  title: string;
  /** One paragraph under the title: what was measured and how. */
  note: string;
  header: string[];
  rows: string[][];
  /** Lines under the table (findings, caveats). */
  footer?: string[];
}

export function renderTable(t: Table): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [
    `### ${t.title}`,
    '',
    t.note,
    '',
    line(t.header),
    line(t.header.map(() => '---')),
    ...t.rows.map(line),
    ...(t.footer?.length ? ['', ...t.footer] : []),
    '',
  ].join('\n');
}
