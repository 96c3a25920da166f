import { readFileSync } from 'node:fs';

/**
 * This process's peak RSS in KiB: `VmHWM` of /proc/self/status where there is one (Linux), else
 * `process.resourceUsage().maxRSS`.
 *
 * Not `maxRSS` on Linux: a child's `ru_maxrss` keeps the high-water mark of the copy of its parent
 * that `fork` made before `exec`. A bench process that holds a million-row data set (about 500 MiB)
 * gave every child it spawned a "peak" of that size, however little the child used (measured:
 * `maxRSS` 535 MiB against `VmHWM` 255 MiB for the same 1M-row export). `VmHWM` belongs to the
 * child's own address space, which `exec` starts anew.
 */
export function peakRssKiB(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]);
  } catch {
    // No /proc (macOS): fall back.
  }
  return process.resourceUsage().maxRSS;
}
