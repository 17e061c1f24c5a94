import { readFileSync } from 'node:fs';
const FILES = { iot: 'iot.json', 'iot-jobs-data': 'iot-jobs-data.json' };
// The JSON stays in src/model; the compiled loader lives in dist/src/model.
const load = (file) => JSON.parse(readFileSync(new URL(`../../../src/model/${file}`, import.meta.url), 'utf8'));
export const models = {
    iot: load(FILES.iot),
    'iot-jobs-data': load(FILES['iot-jobs-data']),
};
//# sourceMappingURL=index.js.map