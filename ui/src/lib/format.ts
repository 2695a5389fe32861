/**
 * Numbers for people in the model screens. Files and disks use decimal units (1 GB = 10^9
 * bytes), as downloads and drives are labelled; memory (RAM, VRAM, the plan's breakdown) uses
 * 2^30 bytes per "GB", as operating systems and GPU makers label it ("RTX 4090 24 GB"), and as
 * the backend's plan sentences do.
 */

const UNITS: [number, string][] = [
  [1e12, "TB"],
  [1e9, "GB"],
  [1e6, "MB"],
  [1e3, "kB"],
];

/** 19_500_000_000 → "19.5 GB"; 812_400_000_000 → "812 GB"; 1_520_000 → "1.5 MB"; 512 → "512 B". */
export function formatBytes(n: number): string {
  const b = Number.isFinite(n) ? Math.max(0, n) : 0;
  for (const [size, unit] of UNITS) {
    // Pick the unit after rounding, so 999.96 MB reads "1.0 GB", not "1000.0 MB".
    const v = Math.round((b / size) * 10) / 10;
    if (v >= 1) return `${v >= 100 ? Math.round(v) : v.toFixed(1)} ${unit}`;
  }
  return `${Math.round(b)} B`;
}

const GIB = 2 ** 30;

/** Memory, always in (binary) GB with one decimal: 24 × 2^30 → "24.0 GB"; 322_122_547 → "0.3 GB". */
export function formatGB(n: number): string {
  const b = Number.isFinite(n) ? Math.max(0, n) : 0;
  return `${(b / GIB).toFixed(1)} GB`;
}

/** Bytes per second: "45.2 MB/s"; from 1 GB/s on "1.25 GB/s". */
export function formatSpeed(bytesPerSec: number): string {
  const b = Number.isFinite(bytesPerSec) ? Math.max(0, bytesPerSec) : 0;
  if (b >= 1e9) return `${(b / 1e9).toFixed(2)} GB/s`;
  return `${(b / 1e6).toFixed(1)} MB/s`;
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/** Time left: "1 h 05 min", "3 min 20 s", "12 s"; "" while unknown. */
export function formatEta(secs: number | null | undefined): string {
  if (secs === null || secs === undefined || !Number.isFinite(secs)) return "";
  const s = Math.max(0, Math.round(secs));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${pad2(s % 60)} s`;
  // Seconds stop mattering past an hour.
  const m = Math.round(s / 60);
  return `${Math.floor(m / 60)} h ${pad2(m % 60)} min`;
}

/** How long something took: "4.2 s" under ten seconds, then as `formatEta`. */
export function formatDuration(secs: number): string {
  if (!Number.isFinite(secs)) return "";
  return secs < 10 ? `${Math.max(0, secs).toFixed(1)} s` : formatEta(secs);
}

/** Context in tokens: 12288 → "12k", 1536 → "1.5k", 800 → "800". */
export function formatContext(tokens: number): string {
  const t = Number.isFinite(tokens) ? Math.max(0, Math.round(tokens)) : 0;
  if (t < 1024) return String(t);
  const k = Math.round((t / 1024) * 10) / 10;
  return `${k}k`;
}

/** Share of `total`, 0..100, for bars; 0 when there is no total. */
export function percent(part: number, total: number): number {
  if (!(total > 0) || !Number.isFinite(part)) return 0;
  return Math.min(100, Math.max(0, (part / total) * 100));
}

/** A whole number in the reader's locale (`locale()` of i18n): 8192 → "8,192". */
export function formatCount(n: number, loc: string): string {
  return new Intl.NumberFormat(loc, { maximumFractionDigits: 0 }).format(Number.isFinite(n) ? n : 0);
}
