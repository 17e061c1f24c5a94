import { randomUUID } from 'node:crypto';
import { ServiceError, alreadyExists, invalidRequest, notFound } from '../errors.js';
import { certificateFromCsr, certificateId, CertificateError, createKeysAndCertificate, issuedBy, parseCertificate } from '../certs/x509.js';
import { bumpAuthVersion, registrationCode } from '../certs/own-ca.js';
import { forUpdate, rowLimit } from '../store/store.js';
import { decodeToken, encodeToken } from './util.js';
import { X509Certificate } from 'node:crypto';
/** Certificates and CA certificates (perimeter.md §3): AWS's registry, with iot-jobs' own CA as the issuer. */
export const certArn = (ctx, id) => `arn:aws:iot:${ctx.region}:${ctx.accountId}:cert/${id}`;
export const caCertArn = (ctx, id) => `arn:aws:iot:${ctx.region}:${ctx.accountId}:cacert/${id}`;
const CERT_ARN = /^arn:aws[a-z-]*:iot:([a-z0-9-]+):(\d{12}):cert\/([a-fA-F0-9]{64})$/;
/** The certificate id of a cert ARN of this account and region, else undefined. */
export function certIdOfArn(ctx, arn) {
    const m = CERT_ARN.exec(arn);
    return m && m[1] === ctx.region && m[2] === ctx.accountId ? m[3].toLowerCase() : undefined;
}
const validation = (message) => new ServiceError('CertificateValidationException', message);
const stateError = (message) => new ServiceError('CertificateStateException', message);
export const deleteConflict = (message) => new ServiceError('DeleteConflictException', message);
const DEFAULT_CERT_PAGE = 25;
/** X.509 validity is wall time on purpose: TLS peers check it against their own clocks, not the service's. */
const x509Now = () => new Date();
function ownCa(ctx) {
    if (!ctx.ca)
        throw new ServiceError('InternalFailureException', 'The certificate authority is not available');
    return ctx.ca();
}
function wrap(p) {
    return p.catch((err) => {
        throw err instanceof CertificateError ? validation(err.message) : err;
    });
}
/** `setAsActive` (query) or a body `status`; REGISTER_INACTIVE and the internal statuses are refused. */
function initialStatus(input) {
    if (input.status !== undefined) {
        if (!['ACTIVE', 'INACTIVE', 'REVOKED', 'PENDING_ACTIVATION'].includes(input.status))
            throw invalidRequest(`status ${input.status} cannot be requested`);
        return input.status;
    }
    return input.setAsActive ? 'ACTIVE' : 'INACTIVE';
}
async function insertCertificate(ctx, db, c) {
    const x = parseCertificate(c.pem);
    const id = certificateId(c.pem);
    const existing = await db.selectFrom('certificates').select('certificate_id').where('certificate_id', '=', id).executeTakeFirst();
    if (existing)
        throw alreadyExists(`The certificate is already provisioned or registered`, id, certArn(ctx, id));
    const now = ctx.clock.now();
    await db
        .insertInto('certificates')
        .values({
        certificate_id: id,
        ca_certificate_id: c.caId,
        status: c.status,
        certificate_pem: x.toString(),
        certificate_mode: c.mode,
        created_at: now,
        updated_at: now,
        generation_id: randomUUID(),
        customer_version: 1,
        not_before: Date.parse(x.validFrom),
        not_after: Date.parse(x.validTo),
    })
        .execute();
    return id;
}
export async function CreateKeysAndCertificate(ctx, input) {
    const made = await createKeysAndCertificate(await ownCa(ctx), x509Now());
    const id = await ctx.store.tx((db) => insertCertificate(ctx, db, { pem: made.certPem, caId: null, status: input.setAsActive ? 'ACTIVE' : 'INACTIVE', mode: 'DEFAULT' }));
    return { certificateArn: certArn(ctx, id), certificateId: id, certificatePem: made.certPem, keyPair: { PublicKey: made.publicKey, PrivateKey: made.privateKey } };
}
export async function CreateCertificateFromCsr(ctx, input) {
    const pem = await wrap(certificateFromCsr(await ownCa(ctx), input.certificateSigningRequest, x509Now()));
    const id = await ctx.store.tx((db) => insertCertificate(ctx, db, { pem, caId: null, status: input.setAsActive ? 'ACTIVE' : 'INACTIVE', mode: 'DEFAULT' }));
    return { certificateArn: certArn(ctx, id), certificateId: id, certificatePem: pem };
}
export async function GetRegistrationCode(ctx) {
    return { registrationCode: await ctx.store.tx((db) => registrationCode(db)) };
}
function parseOrInvalid(pem, what) {
    try {
        return parseCertificate(pem);
    }
    catch (err) {
        throw validation(`${what}: ${err.message}`);
    }
}
export async function RegisterCACertificate(ctx, input) {
    const ca = parseOrInvalid(input.caCertificate, 'caCertificate');
    if (!ca.ca)
        throw validation('caCertificate is not a CA certificate (basicConstraints CA:TRUE is missing)');
    const mode = input.certificateMode ?? 'DEFAULT';
    const now = ctx.clock.now();
    const id = certificateId(input.caCertificate);
    return ctx.store.tx(async (db) => {
        if (mode === 'DEFAULT') {
            // Proof of possession: a certificate whose CN is the registration code, signed by the CA's key.
            if (input.verificationCertificate === undefined)
                throw invalidRequest('verificationCertificate is required in DEFAULT certificate mode');
            const proof = parseOrInvalid(input.verificationCertificate, 'verificationCertificate');
            const code = await registrationCode(db);
            const cn = /(?:^|\n)CN=([^\n]*)/.exec(proof.subject)?.[1];
            if (cn !== code)
                throw new ServiceError('RegistrationCodeValidationException', 'The verification certificate subject CN is not the registration code');
            if (!issuedBy(proof, ca))
                throw validation('The verification certificate is not signed by the CA certificate');
        }
        const existing = await db.selectFrom('ca_certificates').select('certificate_id').where('certificate_id', '=', id).executeTakeFirst();
        if (existing)
            throw alreadyExists('The CA certificate is already registered', id, caCertArn(ctx, id));
        await db
            .insertInto('ca_certificates')
            .values({
            certificate_id: id,
            status: input.setAsActive ? 'ACTIVE' : 'INACTIVE',
            auto_registration: input.allowAutoRegistration ? 'ENABLE' : 'DISABLE',
            certificate_pem: ca.toString(),
            certificate_mode: mode,
            registration_config: input.registrationConfig ? JSON.stringify(input.registrationConfig) : null,
            created_at: now,
            updated_at: now,
            generation_id: randomUUID(),
            customer_version: 1,
            not_before: Date.parse(ca.validFrom),
            not_after: Date.parse(ca.validTo),
        })
            .execute();
        await bumpAuthVersion(db);
        return { certificateArn: caCertArn(ctx, id), certificateId: id };
    });
}
export async function RegisterCertificate(ctx, input) {
    const cert = parseOrInvalid(input.certificatePem, 'certificatePem');
    const status = initialStatus(input);
    return ctx.store.tx(async (db) => {
        // The signer: the CA given, else the registered CAs of the issuer's name (several: the caller must say which).
        let candidates;
        if (input.caCertificatePem !== undefined) {
            const id = certificateId(parseOrInvalid(input.caCertificatePem, 'caCertificatePem').toString());
            candidates = await db.selectFrom('ca_certificates').selectAll().where('certificate_id', '=', id).execute();
        }
        else {
            candidates = (await db.selectFrom('ca_certificates').selectAll().execute()).filter((c) => new X509Certificate(c.certificate_pem).subject === cert.issuer);
        }
        const signers = candidates.filter((c) => issuedBy(cert, new X509Certificate(c.certificate_pem)));
        if (signers.length === 0)
            throw validation('The certificate is not signed by a registered CA certificate');
        if (signers.length > 1)
            throw new ServiceError('CertificateConflictException', 'Several registered CA certificates could have signed it; pass caCertificatePem');
        const signer = signers[0];
        if (signer.status !== 'ACTIVE')
            throw stateError(`The CA certificate ${signer.certificate_id} is not ACTIVE`);
        const id = await insertCertificate(ctx, db, { pem: input.certificatePem, caId: signer.certificate_id, status, mode: signer.certificate_mode });
        return { certificateArn: certArn(ctx, id), certificateId: id };
    });
}
export async function RegisterCertificateWithoutCA(ctx, input) {
    parseOrInvalid(input.certificatePem, 'certificatePem');
    const status = initialStatus(input);
    const id = await ctx.store.tx((db) => insertCertificate(ctx, db, { pem: input.certificatePem, caId: null, status, mode: 'SNI_ONLY' }));
    return { certificateArn: certArn(ctx, id), certificateId: id };
}
const normId = (id) => id.replace(/^0x/, '').toLowerCase();
async function requireCert(db, id, lock = false) {
    const q = db.selectFrom('certificates').selectAll().where('certificate_id', '=', normId(id));
    const row = await (lock ? forUpdate(db, q) : q).executeTakeFirst();
    if (!row)
        throw notFound(`Certificate ${id} does not exist`);
    return row;
}
async function requireCaCert(db, id, lock = false) {
    const q = db.selectFrom('ca_certificates').selectAll().where('certificate_id', '=', normId(id));
    const row = await (lock ? forUpdate(db, q) : q).executeTakeFirst();
    if (!row)
        throw notFound(`CA certificate ${id} does not exist`);
    return row;
}
export async function DescribeCertificate(ctx, input) {
    const c = await requireCert(ctx.store.db, input.certificateId);
    return {
        certificateDescription: {
            certificateArn: certArn(ctx, c.certificate_id),
            certificateId: c.certificate_id,
            caCertificateId: c.ca_certificate_id ?? undefined,
            status: c.status,
            certificatePem: c.certificate_pem,
            ownedBy: ctx.accountId,
            creationDate: new Date(Number(c.created_at)),
            lastModifiedDate: new Date(Number(c.updated_at)),
            customerVersion: c.customer_version,
            transferData: {},
            generationId: c.generation_id,
            validity: { notBefore: new Date(Number(c.not_before)), notAfter: new Date(Number(c.not_after)) },
            certificateMode: c.certificate_mode,
        },
    };
}
export async function DescribeCACertificate(ctx, input) {
    const c = await requireCaCert(ctx.store.db, input.certificateId);
    return {
        certificateDescription: {
            certificateArn: caCertArn(ctx, c.certificate_id),
            certificateId: c.certificate_id,
            status: c.status,
            certificatePem: c.certificate_pem,
            ownedBy: ctx.accountId,
            creationDate: new Date(Number(c.created_at)),
            autoRegistrationStatus: c.auto_registration,
            lastModifiedDate: new Date(Number(c.updated_at)),
            customerVersion: c.customer_version,
            generationId: c.generation_id,
            validity: { notBefore: new Date(Number(c.not_before)), notAfter: new Date(Number(c.not_after)) },
            certificateMode: c.certificate_mode,
        },
        registrationConfig: c.registration_config ? JSON.parse(c.registration_config) : undefined,
    };
}
/** One keyset page over (created_at, certificate_id), newest first unless ascending. */
async function certPage(table, ctx, input, caId) {
    const limit = input.pageSize ?? DEFAULT_CERT_PAGE;
    const asc = input.ascendingOrder === true;
    const after = decodeToken(input.marker, ['integer', 'string']);
    let q = ctx.store.db.selectFrom(table).select(['certificate_id', 'status', 'certificate_mode', 'created_at']);
    if (caId !== undefined)
        q = q.where('ca_certificate_id', '=', caId);
    if (after) {
        const [t, id] = after;
        q = q.where((eb) => eb.or([eb('created_at', asc ? '>' : '<', t), eb.and([eb('created_at', '=', t), eb('certificate_id', asc ? '>' : '<', id)])]));
    }
    const dir = asc ? 'asc' : 'desc';
    const rows = await q.orderBy('created_at', dir).orderBy('certificate_id', dir).limit(rowLimit(limit + 1)).execute();
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items, nextMarker: rows.length > limit && last ? encodeToken([Number(last.created_at), last.certificate_id]) : undefined };
}
export async function ListCertificates(ctx, input) {
    const { items, nextMarker } = await certPage('certificates', ctx, input);
    return {
        certificates: items.map((c) => ({ certificateArn: certArn(ctx, c.certificate_id), certificateId: c.certificate_id, status: c.status, certificateMode: c.certificate_mode, creationDate: new Date(Number(c.created_at)) })),
        nextMarker,
    };
}
export async function ListCertificatesByCA(ctx, input) {
    const { items, nextMarker } = await certPage('certificates', ctx, input, normId(input.caCertificateId));
    return {
        certificates: items.map((c) => ({ certificateArn: certArn(ctx, c.certificate_id), certificateId: c.certificate_id, status: c.status, certificateMode: c.certificate_mode, creationDate: new Date(Number(c.created_at)) })),
        nextMarker,
    };
}
export async function ListCACertificates(ctx, input) {
    const { items, nextMarker } = await certPage('ca_certificates', ctx, input);
    return {
        certificates: items.map((c) => ({ certificateArn: caCertArn(ctx, c.certificate_id), certificateId: c.certificate_id, status: c.status, creationDate: new Date(Number(c.created_at)) })),
        nextMarker,
    };
}
/** ACTIVE ↔ INACTIVE, either → REVOKED; REVOKED is final; internal statuses cannot be set (perimeter.md §3.3). */
export async function UpdateCertificate(ctx, input) {
    const to = input.newStatus;
    if (['PENDING_TRANSFER', 'PENDING_ACTIVATION', 'REGISTER_INACTIVE'].includes(to))
        throw stateError(`A certificate cannot be set to ${to}`);
    await ctx.store.tx(async (db) => {
        const c = await requireCert(db, input.certificateId, true);
        if (c.status === 'REVOKED' && to !== 'REVOKED')
            throw stateError(`Certificate ${c.certificate_id} is revoked and cannot be used again`);
        if (c.status === 'PENDING_TRANSFER')
            throw stateError(`Certificate ${c.certificate_id} is pending transfer`);
        if (c.status === to)
            return;
        await db.updateTable('certificates').set({ status: to, updated_at: ctx.clock.now(), customer_version: c.customer_version + 1, generation_id: randomUUID() }).where('certificate_id', '=', c.certificate_id).execute();
        await bumpAuthVersion(db);
    });
    return {};
}
export async function UpdateCACertificate(ctx, input) {
    await ctx.store.tx(async (db) => {
        const c = await requireCaCert(db, input.certificateId, true);
        const config = input.removeAutoRegistration ? null : input.registrationConfig ? JSON.stringify(input.registrationConfig) : c.registration_config;
        await db
            .updateTable('ca_certificates')
            .set({
            status: input.newStatus ?? c.status,
            auto_registration: input.newAutoRegistrationStatus ?? c.auto_registration,
            registration_config: config,
            updated_at: ctx.clock.now(),
            customer_version: c.customer_version + 1,
            generation_id: randomUUID(),
        })
            .where('certificate_id', '=', c.certificate_id)
            .execute();
        await bumpAuthVersion(db);
    });
    return {};
}
/** Not while ACTIVE, nor attached to a thing, nor (without forceDelete) to a policy; messages as moto copies AWS's. */
export async function DeleteCertificate(ctx, input) {
    await ctx.store.tx(async (db) => {
        const c = await requireCert(db, input.certificateId, true);
        const arn = certArn(ctx, c.certificate_id);
        if (c.status === 'ACTIVE')
            throw stateError(`Certificate must be deactivated (not ACTIVE) before deletion. Id: ${c.certificate_id}`);
        const thing = await db.selectFrom('thing_principals').select('thing_name').where('principal', '=', arn).limit(1).executeTakeFirst();
        if (thing)
            throw deleteConflict(`Things must be detached before deletion (arn: ${arn})`);
        const policy = await db.selectFrom('policy_targets').select('policy_name').where('target', '=', arn).limit(1).executeTakeFirst();
        if (policy && !input.forceDelete)
            throw deleteConflict(`Certificate policies must be detached before deletion (arn: ${arn})`);
        await db.deleteFrom('policy_targets').where('target', '=', arn).execute();
        await db.deleteFrom('certificates').where('certificate_id', '=', c.certificate_id).execute();
        await bumpAuthVersion(db);
    });
    return {};
}
/** Not while ACTIVE, nor while certificates it signed are registered. */
export async function DeleteCACertificate(ctx, input) {
    await ctx.store.tx(async (db) => {
        const c = await requireCaCert(db, input.certificateId, true);
        if (c.status === 'ACTIVE')
            throw stateError(`CA certificate must be deactivated (not ACTIVE) before deletion. Id: ${c.certificate_id}`);
        const signed = await db.selectFrom('certificates').select('certificate_id').where('ca_certificate_id', '=', c.certificate_id).limit(1).executeTakeFirst();
        if (signed)
            throw stateError(`CA certificate ${c.certificate_id} still has registered certificates; delete them first`);
        await db.deleteFrom('ca_certificates').where('certificate_id', '=', c.certificate_id).execute();
        await bumpAuthVersion(db);
    });
    return {};
}
//# sourceMappingURL=certificates.js.map