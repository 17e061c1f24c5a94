import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../src/store/store.js';
import { PG_URL, dropSchema, freshSchema } from './harness.js';
/** A data directory or PostgreSQL schema of a test's own: opened as often as it likes, removed by cleanup(). */
export function storePlace(backend) {
    const dataDir = mkdtempSync(join(tmpdir(), 'iot-jobs-store-'));
    const schema = backend === 'postgres' ? freshSchema() : undefined;
    return {
        open: (migrateTo) => Store.open({ dataDir, databaseUrl: schema ? PG_URL : undefined, schema, ...(migrateTo ? { migrateTo } : {}) }),
        async cleanup() {
            if (schema)
                await dropSchema(schema);
            rmSync(dataDir, { recursive: true, force: true });
        },
    };
}
//# sourceMappingURL=store-place.js.map