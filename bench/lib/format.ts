/** Numbers and tables for the benchmark's terminal output. KB and MB are 1,024-based throughout. */

export const seconds = (ms: number): string => (ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : ms < 600_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`);
export const perArticle = (ms: number, articles: number): string => `${(ms / articles).toFixed(2)} ms/article`;
export const count = (n: number): string => n.toLocaleString('en-US');

export function bytes(n: number): string {
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

export const ratio = (a: number, b: number): number | null => (b > 0 && Number.isFinite(a) ? a / b : null);
export const times = (r: number | null): string => (r === null ? 'n/a' : `${r.toFixed(2)}×`);

/** `✓ goal ≤ 0.4×` or `✗ goal ≤ 0.4×`; `? goal …` when the figure is missing. */
export function mark(value: number | null, limit: number, goal: string): string {
  if (value === null || !Number.isFinite(value)) return `? ${goal}`;
  return `${value <= limit ? '✓' : '✗'} ${goal}`;
}

/** A plain-text table: columns padded to their widest cell, numbers-looking cells right-aligned. */
export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const align = (cell: string, i: number): string => (/^[\d.,]+( |×|$)/.test(cell) && i > 0 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!));
  const line = (cells: string[]): string => cells.map((c, i) => align(c, i)).join('  ').trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)];
}
