import { createHash, X509Certificate } from 'node:crypto';
import { TLSSocket } from 'node:tls';
import { PolicySet, describeStatement } from '../domain/policy/index.js';
import { authVersion } from '../certs/own-ca.js';
import { effectivePolicies } from '../operations/policies.js';
/**
 * Devices identified by a registered certificate, authorized by the IoT policies attached to it
 * (perimeter.md §3.6, §4). Each connection's policies are compiled at CONNECT and again when the
 * store's auth_version moves (a policy, an attachment or a certificate changed, on any node).
 */
/** How often live connections look for changes: AWS takes minutes, iot-jobs a second or two. */
export const AUTH_POLL_MS = 1000;
/**
 * One connection's policies, compiled once by the shared policy engine (src/domain/policy), its
 * variables resolved for this connection; decisions are remembered per action and resource, so a
 * device's packets on its usual topics cost a map lookup.
 */
export class CompiledPolicies {
    set;
    context;
    resolve;
    names;
    cache = new Map();
    constructor(set, 
    /** Condition keys (Bool on iot:Connection.Thing.IsAttached, ...); the resolver serves variables beyond them. */
    context, resolve, names) {
        this.set = set;
        this.context = context;
        this.resolve = resolve;
        this.names = names;
    }
    decide(action, resource) {
        const key = `${action} ${resource}`;
        let d = this.cache.get(key);
        if (!d) {
            d = this.set.evaluate({ action, resources: [resource], context: this.context, resolve: this.resolve });
            // A device uses a handful of topics; a flood of distinct ones must not grow this without end.
            if (this.cache.size >= 512)
                this.cache.clear();
            this.cache.set(key, d);
        }
        return d;
    }
}
/** The peer certificate's DER, or undefined (no certificate, or not TLS). */
export function peerCertificate(stream) {
    if (!(stream instanceof TLSSocket))
        return undefined;
    const raw = stream.getPeerCertificate()?.raw;
    return raw && raw.length > 0 ? new X509Certificate(raw) : undefined;
}
// Policy variable names of DN attributes → the short names in Node's subject text (PVAR).
const DN = {
    CommonName: 'CN',
    Organization: 'O',
    OrganizationalUnit: 'OU',
    Country: 'C',
    State: 'ST',
    Locality: 'L',
    SerialNumber: 'serialNumber',
    Title: 'title',
    Surname: 'SN',
    GivenName: 'GN',
    Initials: 'initials',
    Pseudonym: 'pseudonym',
    GenerationQualifier: 'generationQualifier',
    DistinguishedNameQualifier: 'dnQualifier',
};
function dnValues(dn, short) {
    const out = [];
    for (const line of dn.split('\n'))
        if (line.startsWith(`${short}=`))
            out.push(line.slice(short.length + 1));
    return out;
}
/** A certificate value with a wildcard character or over 1024 characters is left unreplaced (PVAR). */
const plainValue = (v) => (v === undefined || v.length > 1024 || /[*$+?#]/.test(v) ? undefined : v);
function certificateVariable(cert, name) {
    if (name === 'SerialNumber')
        return plainValue(cert.serialNumber);
    const m = /^(Subject|Issuer)\.([A-Za-z]+)(?:\.(\d+|List))?$/.exec(name);
    if (!m)
        return undefined;
    const short = DN[m[2]];
    if (!short)
        return undefined;
    const values = dnValues(m[1] === 'Subject' ? cert.subject : cert.issuer, short);
    if (m[3] === 'List')
        return values.slice(0, 5).map(plainValue).filter((v) => v !== undefined);
    return plainValue(values[m[3] ? Number(m[3]) - 1 : 0]);
}
/** Every condition key this connection has a value for (variables resolve through the same function). */
function contextOf(vars, cert, attributes) {
    const names = ['iot:ClientId', 'aws:SourceIp', 'iot:Connection.Thing.ThingName', 'iot:Connection.Thing.ThingTypeName', 'iot:Connection.Thing.IsAttached', 'iot:Certificate.SerialNumber'];
    for (const k of Object.keys(attributes))
        names.push(`iot:Connection.Thing.Attributes[${k}]`);
    for (const side of ['Subject', 'Issuer']) {
        for (const attr of Object.keys(DN))
            if (dnValues(side === 'Subject' ? cert.subject : cert.issuer, DN[attr]).length)
                names.push(`iot:Certificate.${side}.${attr}`, `iot:Certificate.${side}.${attr}.List`);
    }
    const out = {};
    for (const n of names) {
        const v = vars(n);
        if (v !== undefined)
            out[n] = v;
    }
    return out;
}
export const resourceArn = (s, type, name) => `arn:aws:iot:${s.region}:${s.accountId}:${type}/${name}`;
export class CertAuthority {
    o;
    live = new Set();
    sets = new Map();
    version = -1;
    timer;
    polling = false;
    constructor(o) {
        this.o = o;
    }
    /** Looks the certificate up and compiles its policies; refuses what is not registered, not ACTIVE or not allowed to connect. */
    async load(cert, clientId, stream) {
        const { store, scope } = this.o;
        const certificateId = createHash('sha256').update(cert.raw).digest('hex');
        const certificateArn = `arn:aws:iot:${scope.region}:${scope.accountId}:cert/${certificateId}`;
        const db = store.db;
        const row = await db.selectFrom('certificates').select(['status', 'ca_certificate_id', 'not_before', 'not_after']).where('certificate_id', '=', certificateId).executeTakeFirst();
        if (!row)
            return { ok: false, reason: 'certificate not registered', log: { certificateId } };
        if (row.status !== 'ACTIVE')
            return { ok: false, reason: `certificate ${row.status}`, log: { certificateId } };
        // Wall time on purpose, as a TLS peer checks validity (a manual service clock must not expire devices).
        const now = Date.now();
        if (now < Number(row.not_before) || now > Number(row.not_after))
            return { ok: false, reason: 'certificate not valid at this time', log: { certificateId } };
        if (row.ca_certificate_id) {
            const ca = await db.selectFrom('ca_certificates').select('status').where('certificate_id', '=', row.ca_certificate_id).executeTakeFirst();
            if (ca?.status !== 'ACTIVE')
                return { ok: false, reason: 'its CA certificate is not ACTIVE', log: { certificateId, caCertificateId: row.ca_certificate_id } };
        }
        // The thing: the certificate's exclusive thing, else the attached thing named by the client id (§3.6).
        const attached = await db.selectFrom('thing_principals').select(['thing_name', 'principal_type']).where('principal', '=', certificateArn).execute();
        const thingName = attached.find((a) => a.principal_type === 'EXCLUSIVE_THING')?.thing_name ?? attached.find((a) => a.thing_name === clientId)?.thing_name;
        const thing = thingName ? await db.selectFrom('things').select(['thing_type_name', 'attributes']).where('thing_name', '=', thingName).executeTakeFirst() : undefined;
        const attributes = thing ? JSON.parse(thing.attributes) : {};
        const remote = stream.remoteAddress;
        const vars = (name) => {
            if (name === 'iot:ClientId')
                return clientId;
            if (name === 'aws:SourceIp')
                return remote;
            if (name.startsWith('iot:Certificate.'))
                return certificateVariable(cert, name.slice('iot:Certificate.'.length));
            if (name === 'iot:Connection.Thing.IsAttached')
                return String(thing !== undefined);
            if (!thing)
                return undefined;
            if (name === 'iot:Connection.Thing.ThingName')
                return thingName;
            if (name === 'iot:Connection.Thing.ThingTypeName')
                return thing.thing_type_name ?? undefined;
            const attr = /^iot:Connection\.Thing\.Attributes\[(.+)\]$/.exec(name);
            return attr ? attributes[attr[1]] : undefined;
        };
        const rows = await effectivePolicies(scope, db, certificateArn, thing ? thingName : undefined);
        const { set, names } = this.compiled(rows);
        const policies = new CompiledPolicies(set, contextOf(vars, cert, attributes), vars, names);
        const identity = { certificateId, certificateArn, clientId, thingName: thing ? thingName : undefined, policies, stream };
        const d = this.check(identity, 'iot:Connect', resourceArn(scope, 'client', clientId));
        if (!d)
            return { ok: false, reason: 'iot:Connect not allowed', log: { certificateId } };
        return { ok: true, identity };
    }
    /**
     * The policy engine resolves variables per decision, so one compiled set serves every connection
     * with the same default documents (a fleet shares its policy): compiled at the first CONNECT.
     */
    compiled(rows) {
        const key = rows.map((r) => `${r.name}\u0000${r.document}`).join('\u0001');
        let hit = this.sets.get(key);
        if (!hit) {
            // Documents were checked when stored; one that no longer compiles counts as no policy.
            const usable = rows.filter((r) => {
                try {
                    return new PolicySet([{ document: r.document }]) !== undefined;
                }
                catch {
                    this.o.log.warn({ policyName: r.name }, 'stored IoT policy does not compile; ignored');
                    return false;
                }
            });
            hit = { set: new PolicySet(usable.map((r) => ({ document: r.document, name: `policy ${r.name}` }))), names: usable.map((r) => r.name) };
            if (this.sets.size >= 1000)
                this.sets.clear();
            this.sets.set(key, hit);
        }
        return hit;
    }
    /** A decision, logged at info when it denies: which action, resource, and which policies (perimeter.md §4.5). */
    check(identity, action, resource) {
        const d = identity.policies.decide(action, resource);
        if (d.allowed)
            return true;
        this.o.log.info({
            clientId: identity.clientId,
            certificateId: identity.certificateId,
            action,
            resource,
            decision: d.kind,
            ...(d.statement ? { deniedBy: describeStatement(d.statement) } : {}),
            // What would have allowed it: the Allow to add, or the Deny to narrow.
            needed: d.needed,
            policies: identity.policies.names,
        }, 'mqtt not authorized by IoT policy');
        return false;
    }
    may(identity, action, name) {
        return this.check(identity, action, resourceArn(this.o.scope, action === 'iot:Subscribe' ? 'topicfilter' : 'topic', name));
    }
    attach(identity) {
        this.live.add(identity);
        if (!this.timer) {
            this.timer = setInterval(() => void this.poll(), AUTH_POLL_MS);
            this.timer.unref();
        }
    }
    detach(identity) {
        this.live.delete(identity);
    }
    /** One small read per second per node while certificate devices are connected; their policies are recompiled on a change. */
    async poll() {
        if (this.polling || this.live.size === 0)
            return;
        this.polling = true;
        try {
            const v = await authVersion(this.o.store.db);
            if (v === this.version)
                return;
            const first = this.version === -1;
            this.version = v;
            if (first)
                return;
            for (const identity of [...this.live]) {
                const cert = peerCertificate(identity.stream);
                if (!cert)
                    continue;
                const again = await this.load(cert, identity.clientId, identity.stream);
                if (!this.live.has(identity))
                    continue;
                if (again.ok)
                    identity.policies = again.identity.policies;
                else {
                    this.live.delete(identity);
                    this.o.log.info({ clientId: identity.clientId, certificateId: identity.certificateId, reason: again.reason }, 'mqtt connection closed: no longer authorized');
                    this.o.disconnect(identity, again.reason);
                }
            }
        }
        catch (err) {
            this.o.log.warn({ err: err.message }, 'mqtt authorization refresh failed; retrying');
        }
        finally {
            this.polling = false;
        }
    }
    /** Starts from the current version, so the first poll does not recompile everything. */
    async start() {
        this.version = await authVersion(this.o.store.db);
    }
    close() {
        if (this.timer)
            clearInterval(this.timer);
        this.live.clear();
    }
}
//# sourceMappingURL=cert-auth.js.map