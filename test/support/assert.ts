import assert from 'node:assert/strict';

/** Asserts that an SDK call fails with this exception class name and HTTP status. */
export async function rejectsWith(p: Promise<unknown>, name: string, status: number, message?: RegExp): Promise<Error> {
  try {
    await p;
  } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number } };
    assert.equal(e.name, name, `expected ${name}, got ${e.name}: ${e.message}`);
    assert.equal(e.$metadata?.httpStatusCode, status, `expected HTTP ${status} for ${name}`);
    if (message) assert.match(e.message, message);
    return e;
  }
  assert.fail(`expected ${name} (${status}), but the call succeeded`);
}
