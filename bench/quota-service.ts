/**
 * The quota bench's local service, in its own process so the export's CPU work cannot delay the
 * times it records:
 *   node --import tsx bench/quota-service.ts <executions>
 * Serves `<executions>` synthetic executions (seed 1, function `orders`) after 40 ms ± 10 ms, prints
 * `{"url": ...}`, and when its stdin ends prints `{"starts": {api: [ms, ...]}}`: when each request
 * arrived, by API, on the wall clock (`performance.timeOrigin + performance.now()`), then exits.
 */
import { startLocalService } from '../src/local/service/local-service.js';
import { generateSyntheticExecutions } from '../src/local/synthetic/generate-executions.js';

const count = Number(process.argv[2]);
const starts: Record<string, number[]> = {};
const service = await startLocalService({
  executions: generateSyntheticExecutions({ count, seed: 1, functionNames: ['orders'] }),
  latency: { ms: 40, jitterMs: 10 },
  onRequest: (api) => {
    const key = api ?? 'unknown';
    starts[key] = starts[key] ?? [];
    starts[key].push(performance.timeOrigin + performance.now());
  },
});
console.log(JSON.stringify({ url: service.url }));
process.stdin.resume();
process.stdin.on('end', async () => {
  await service.close();
  console.log(JSON.stringify({ starts }));
  process.exit(0);
});
