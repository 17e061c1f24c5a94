import assert from 'node:assert/strict';
/** Asserts that an SDK call fails with this exception class name and HTTP status. */
export async function rejectsWith(p, name, status, message) {
    try {
        await p;
    }
    catch (err) {
        const e = err;
        assert.equal(e.name, name, `expected ${name}, got ${e.name}: ${e.message}`);
        assert.equal(e.$metadata?.httpStatusCode, status, `expected HTTP ${status} for ${name}`);
        if (message)
            assert.match(e.message, message);
        return e;
    }
    assert.fail(`expected ${name} (${status}), but the call succeeded`);
}
//# sourceMappingURL=assert.js.map