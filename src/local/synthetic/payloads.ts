import type { ErrorObject } from './model.js';
import type { Prng } from './prng.js';

const SKUS = ['SKU-1001', 'SKU-2040', 'SKU-3310', 'SKU-4471', 'SKU-5902', 'SKU-6120'];
const WORDS = ['alpha', 'bravo', 'delta', 'echo', 'kilo', 'lima', 'oscar', 'sierra', 'tango', 'zulu'];

/** A size in bytes: mostly tens to hundreds of bytes, some KB, a few tens of KB. */
function pickSize(prng: Prng): number {
  const r = prng.next();
  if (r < 0.55) return prng.int(20, 90);
  if (r < 0.85) return prng.int(100, 1000);
  if (r < 0.97) return prng.int(1000, 10_000);
  return prng.int(10_000, 60_000);
}

/** JSON text of about `target` bytes shaped like an order document. */
export function jsonOfSize(prng: Prng, target: number): string {
  if (target < 40) {
    const kind = prng.int(0, 2);
    if (kind === 0) return String(prng.int(0, 100_000));
    if (kind === 1) return JSON.stringify(prng.pick(WORDS));
    return JSON.stringify({ ok: prng.chance(0.9) });
  }
  const doc: Record<string, unknown> = { orderId: `ord-${prng.int(1000, 99_999)}`, status: prng.pick(WORDS) };
  const items: unknown[] = [];
  let size = JSON.stringify(doc).length + 11; // + ',"items":[]'
  while (size < target) {
    const item = {
      sku: prng.pick(SKUS),
      qty: prng.int(1, 9),
      price: prng.int(100, 99_999) / 100,
      note: prng.pick(WORDS),
    };
    items.push(item);
    size += JSON.stringify(item).length + 1;
  }
  if (items.length > 0) doc.items = items;
  return JSON.stringify(doc);
}

/** A payload of random realistic size. */
export function randomPayload(prng: Prng): string {
  return jsonOfSize(prng, pickSize(prng));
}

const ERRORS: ReadonlyArray<readonly [string, string]> = [
  ['Error', 'Downstream returned HTTP 503'],
  ['TypeError', "Cannot read properties of undefined (reading 'id')"],
  ['PaymentDeclinedError', 'Card declined by issuer'],
  ['TimeoutError', 'Request to inventory-service timed out after 3000 ms'],
  ['ValidationError', 'Field "quantity" must be positive'],
  ['ServiceUnavailableError', 'Rate limit reached on partner API'],
];

/** An `ErrorObject` as the JS SDK writes it; often with a StackTrace array, sometimes with ErrorData. */
export function errorObject(prng: Prng, where = 'handler'): ErrorObject {
  const [type, message] = prng.pick(ERRORS);
  const error: ErrorObject = { ErrorType: type, ErrorMessage: message };
  if (prng.chance(0.4)) {
    error.ErrorData = JSON.stringify({ code: type.toUpperCase(), retryable: prng.chance(0.5), where });
  }
  if (prng.chance(0.6)) {
    const frames = prng.int(2, 7);
    error.StackTrace = [`${type}: ${message}`];
    for (let i = 0; i < frames; i++) {
      error.StackTrace.push(
        `    at ${prng.pick(WORDS)}${i} (/var/task/index.mjs:${prng.int(10, 400)}:${prng.int(3, 40)})`,
      );
    }
  }
  return error;
}
