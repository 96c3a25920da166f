/**
 * `make fixtures`: runs real durable handlers (AWS's `@aws/durable-execution-sdk-js`) in AWS's local test
 * runner (`@aws/durable-execution-sdk-js-testing`, `skipTime: true`) and writes each execution as a
 * fixture of the local service's data format to test/fixtures/sdk-executions.json (payloads over 256 KB:
 * sdk-large-result.json), with the SDK's own operations beside each for test/sdk-fixtures.test.ts.
 *
 * Run it as its own Node process, never inside vitest: `skipTime` installs fake timers process-wide.
 *   node --import tsx --import ./scripts/record-fixtures/worker-clock.mjs scripts/record-fixtures/record-fixtures.ts
 * (worker-clock.mjs gives the emulator's worker thread a clock that stamps one checkpoint once).
 */
import { writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalDurableTestRunner } from '@aws/durable-execution-sdk-js-testing';
import { assertStoredExecutions } from '../../src/local/service/stored-execution-shape.js';
import { type RecordedExecution, recordExecution } from './record-execution.js';
import { FIXTURE_FILES, type FixtureFile, SCENARIOS } from './scenarios.js';
import { type SdkFixture, toFixture } from './to-fixture.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

async function writeFixtures(path: string, fixtures: SdkFixture[]): Promise<void> {
  // The data file must load as it is: the same check `--data FILE` runs.
  assertStoredExecutions(JSON.parse(JSON.stringify(fixtures)), path);
  const text = `${JSON.stringify(fixtures, null, 1)}\n`;
  await writeFile(path, text);
  for (const f of fixtures) {
    const name = String(f.execution.DurableExecutionName).padEnd(24);
    const status = String(f.execution.Status).padEnd(10);
    console.log(`  ${name} ${status} ${f.sdkOperations.length} operations, ${f.events.length} events`);
  }
  console.log(`wrote ${fixtures.length} executions, ${Buffer.byteLength(text)} bytes, to ${path}`);
}

async function main(): Promise<void> {
  await LocalDurableTestRunner.setupTestEnvironment({ skipTime: true });
  const recorded: RecordedExecution[] = [];
  try {
    for (const scenario of SCENARIOS) recorded.push(await recordExecution(scenario));
  } finally {
    await LocalDurableTestRunner.teardownTestEnvironment();
  }
  const byFile = new Map<FixtureFile, SdkFixture[]>();
  recorded.forEach((r, i) => {
    const file = SCENARIOS[i]?.file ?? 'main';
    byFile.set(file, [...(byFile.get(file) ?? []), toFixture(r, i, REPO_ROOT)]);
  });
  for (const [file, fixtures] of byFile)
    await writeFixtures(resolve(REPO_ROOT, FIXTURE_FILES[file]), fixtures);
}

main().then(
  () => process.exit(0), // the emulator's worker and timers would keep the process alive
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
