import { randomBytes } from 'node:crypto';
import { createCa } from './x509.js';
/**
 * iot-jobs' own root CA, made at the first start and kept in the store: every node of a
 * PostgreSQL service and every restart share it, so devices keep trusting the server.
 */
export async function loadOrCreateCa(store, now) {
    const read = () => store.db.selectFrom('iot_ca').select(['cert_pem', 'key_pem']).where('id', '=', 1).executeTakeFirst();
    const found = await read();
    if (found)
        return { certPem: found.cert_pem, keyPem: found.key_pem };
    const ca = await createCa(`CN=iot-jobs Root CA ${randomBytes(4).toString('hex')}, O=iot-jobs`, new Date(now));
    // Two nodes starting at once: the first insert wins and both use its CA.
    await store.db
        .insertInto('iot_ca')
        .values({ id: 1, cert_pem: ca.certPem, key_pem: ca.keyPem, registration_code: null, created_at: now })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    const kept = (await read());
    return { certPem: kept.cert_pem, keyPem: kept.key_pem };
}
/** The account's registration code (64 hex digits, as AWS's), made once. */
export async function registrationCode(db) {
    const code = randomBytes(32).toString('hex');
    await db.updateTable('iot_ca').set({ registration_code: code }).where('id', '=', 1).where('registration_code', 'is', null).execute();
    const row = await db.selectFrom('iot_ca').select('registration_code').where('id', '=', 1).executeTakeFirstOrThrow();
    return row.registration_code;
}
/** Tells every node that authorizations may have changed (policies, attachments, certificate status). */
export async function bumpAuthVersion(db) {
    await db.updateTable('auth_version').set((eb) => ({ v: eb('v', '+', 1) })).where('id', '=', 1).execute();
}
export async function authVersion(db) {
    const row = await db.selectFrom('auth_version').select('v').where('id', '=', 1).executeTakeFirst();
    return Number(row?.v ?? 0);
}
//# sourceMappingURL=own-ca.js.map