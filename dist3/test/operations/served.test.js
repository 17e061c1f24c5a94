import { test } from 'node:test';
import assert from 'node:assert/strict';
import { operations } from '../../src/operations/index.js';
import { models } from '../../src/model/index.js';
// The operation table and the generated model's served list (scripts/gen-model.mjs) must name the
// same operations: one without the other is a 500 (no handler) or an UnknownOperationException
// (no model) for an operation the docs say is served. The only exceptions are operations that
// exist on MQTT alone (no HTTP binding in AWS's model), named here.
const MQTT_ONLY = { iot: [], 'iot-jobs-data': ['UpdateCommandExecution'] };
for (const service of ['iot', 'iot-jobs-data']) {
    test(`the operation table and the served model agree [${service}]`, () => {
        const table = Object.keys(operations[service])
            .filter((op) => !MQTT_ONLY[service].includes(op))
            .sort();
        const model = Object.keys(models[service].operations).sort();
        assert.deepEqual(table.filter((op) => !model.includes(op)), [], 'operations with a handler but no model (add them to SERVED in scripts/gen-model.mjs)');
        assert.deepEqual(model.filter((op) => !table.includes(op)), [], 'operations in the model with no handler (wire them in src/operations/index.ts)');
    });
}
//# sourceMappingURL=served.test.js.map