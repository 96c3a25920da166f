/**
 * The most requests any sliding one-second window holds, each window opening at a request:
 * `arrivals` in ms, in any order. How the limiters' "never above the limit" is checked, at the
 * service (a count, not a clock race).
 */
export function busiestSecond(arrivals: readonly number[]): number {
  const t = [...arrivals].sort((a, b) => a - b);
  let busiest = 0;
  let j = 0;
  for (let i = 0; i < t.length; i++) {
    while (j < t.length && (t[j] ?? 0) < (t[i] ?? 0) + 1000) j++;
    busiest = Math.max(busiest, j - i);
  }
  return busiest;
}
