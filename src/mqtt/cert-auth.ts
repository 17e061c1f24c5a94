import { createHash, X509Certificate } from 'node:crypto';
import { TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import type { Clock } from '../clock.js';
import type { Scope } from '../domain/arn.js';
import { PolicySet, PreparedContext, describeStatement, type Context, type Decision, type VariableResolver } from '../domain/policy/index.js';
import { authVersion } from '../certs/own-ca.js';
import { effectivePolicies } from '../operations/policies.js';
import type { Store } from '../store/store.js';
import type { Logger } from './types.js';

/**
 * Devices identified by a registered certificate, authorized by the IoT policies attached to it
 * (perimeter.md §3.6, §4). Each connection's policies are compiled at CONNECT and again when the
 * store's auth_version moves (a policy, an attachment or a certificate changed, on any node).
 */

/** How often live connections look for changes: AWS takes minutes, iot-jobs a second or two. */
export const AUTH_POLL_MS = 1000;

export interface CertIdentity {
  certificateId: string;
  certificateArn: string;
  clientId: string;
  thingName: string | undefined;
  policies: CompiledPolicies;
  stream: Duplex;
}

export type Action = 'iot:Connect' | 'iot:Publish' | 'iot:Subscribe' | 'iot:Receive';

/**
 * One connection's policies, compiled once by the shared policy engine (src/domain/policy), its
 * variables resolved for this connection; decisions are remembered per action and resource, so a
 * device's packets on its usual topics cost a map lookup.
 */
export class CompiledPolicies {
  private readonly cache = new Map<string, Decision>();
  /** Condition keys (Bool on iot:Connection.Thing.IsAttached, ...), normalized once for the connection's life; the resolver serves variables beyond them. */
  private readonly context: PreparedContext;
  constructor(
    private readonly set: PolicySet,
    context: Context,
    private readonly resolve: VariableResolver,
    readonly names: string[],
  ) {
    this.context = new PreparedContext(context);
  }

  decide(action: Action, resource: string): Decision {
    const key = `${action} ${resource}`;
    let d = this.cache.get(key);
    if (!d) {
      d = this.set.evaluate({ action, resources: [resource], context: this.context, resolve: this.resolve });
      // A device uses a handful of topics, plus one or two per job (…/jobs/<jobId>/update), never
      // seen again: a small cap bounds what each connection of a large fleet holds.
      if (this.cache.size >= 64) this.cache.clear();
      this.cache.set(key, d);
    }
    return d;
  }
}

/** A TLS connection's client certificate and its id (the SHA-256 of its DER, AWS's certificateId). */
export interface Peer {
  cert: X509Certificate;
  certificateId: string;
}

// Read once per connection: CONNECT, lifecycle events and the policy refresh all ask for it.
const peers = new WeakMap<TLSSocket, Peer | null>();

/** The connection's client certificate, or undefined (none, or not TLS). */
export function peerOf(stream: unknown): Peer | undefined {
  if (!(stream instanceof TLSSocket)) return undefined;
  let peer = peers.get(stream);
  if (peer === undefined) {
    // getPeerX509Certificate hands over OpenSSL's parsed certificate; getPeerCertificate would
    // convert every field to a JS object first.
    const cert = stream.getPeerX509Certificate();
    peer = cert ? { cert, certificateId: createHash('sha256').update(cert.raw).digest('hex') } : null;
    peers.set(stream, peer);
  }
  return peer ?? undefined;
}

// Policy variable names of DN attributes → the short names in Node's subject text (PVAR).
const DN: Record<string, string> = {
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

function dnValues(dn: string, short: string): string[] {
  const out: string[] = [];
  for (const line of dn.split('\n')) if (line.startsWith(`${short}=`)) out.push(line.slice(short.length + 1));
  return out;
}

/** A certificate value with a wildcard character or over 1024 characters is left unreplaced (PVAR). */
const plainValue = (v: string | undefined) => (v === undefined || v.length > 1024 || /[*$+?#]/.test(v) ? undefined : v);

function certificateVariable(cert: X509Certificate, name: string): string | string[] | undefined {
  if (name === 'SerialNumber') return plainValue(cert.serialNumber);
  const m = /^(Subject|Issuer)\.([A-Za-z]+)(?:\.(\d+|List))?$/.exec(name);
  if (!m) return undefined;
  const short = DN[m[2]!];
  if (!short) return undefined;
  const values = dnValues(m[1] === 'Subject' ? cert.subject : cert.issuer, short);
  if (m[3] === 'List') return values.slice(0, 5).map(plainValue).filter((v): v is string => v !== undefined);
  return plainValue(values[m[3] ? Number(m[3]) - 1 : 0]);
}

/** Every condition key this connection has a value for (variables resolve through the same function). */
function contextOf(vars: VariableResolver, cert: X509Certificate, attributes: Record<string, string>): Context {
  const names = ['iot:ClientId', 'aws:SourceIp', 'iot:Connection.Thing.ThingName', 'iot:Connection.Thing.ThingTypeName', 'iot:Connection.Thing.IsAttached', 'iot:Certificate.SerialNumber'];
  for (const k of Object.keys(attributes)) names.push(`iot:Connection.Thing.Attributes[${k}]`);
  for (const side of ['Subject', 'Issuer']) {
    for (const attr of Object.keys(DN)) if (dnValues(side === 'Subject' ? cert.subject : cert.issuer, DN[attr]!).length) names.push(`iot:Certificate.${side}.${attr}`, `iot:Certificate.${side}.${attr}.List`);
  }
  const out: Record<string, string | readonly string[]> = {};
  for (const n of names) {
    const v = vars(n);
    if (v !== undefined) out[n] = v;
  }
  return out;
}

export const resourceArn = (s: Scope, type: 'client' | 'topic' | 'topicfilter', name: string) => `arn:aws:iot:${s.region}:${s.accountId}:${type}/${name}`;

export interface CertAuthOptions {
  store: Store;
  clock: Clock;
  scope: Scope;
  log: Logger;
  /** Closes a live connection whose certificate or Connect permission went away. */
  disconnect: (identity: CertIdentity, reason: string) => void;
}

type Loaded = { ok: true; identity: CertIdentity } | { ok: false; reason: string; log: Record<string, unknown> };

export class CertAuthority {
  private readonly live = new Set<CertIdentity>();
  private readonly sets = new Map<string, { set: PolicySet; names: string[] }>();
  private version = -1;
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(private readonly o: CertAuthOptions) {}

  /** Looks the certificate up and compiles its policies; refuses what is not registered, not ACTIVE or not allowed to connect. */
  async load(peer: Peer, clientId: string, stream: Duplex): Promise<Loaded> {
    const { store, scope } = this.o;
    const { cert, certificateId } = peer;
    const certificateArn = `arn:aws:iot:${scope.region}:${scope.accountId}:cert/${certificateId}`;
    const db = store.db;
    const row = await db.selectFrom('certificates').select(['status', 'ca_certificate_id', 'not_before', 'not_after']).where('certificate_id', '=', certificateId).executeTakeFirst();
    if (!row) return { ok: false, reason: 'certificate not registered', log: { certificateId } };
    if (row.status !== 'ACTIVE') return { ok: false, reason: `certificate ${row.status}`, log: { certificateId } };
    // Wall time on purpose, as a TLS peer checks validity (a manual service clock must not expire devices).
    const now = Date.now();
    if (now < Number(row.not_before) || now > Number(row.not_after)) return { ok: false, reason: 'certificate not valid at this time', log: { certificateId } };
    if (row.ca_certificate_id) {
      const ca = await db.selectFrom('ca_certificates').select('status').where('certificate_id', '=', row.ca_certificate_id).executeTakeFirst();
      if (ca?.status !== 'ACTIVE') return { ok: false, reason: 'its CA certificate is not ACTIVE', log: { certificateId, caCertificateId: row.ca_certificate_id } };
    }
    // The thing: the certificate's exclusive thing, else the attached thing named by the client id (§3.6).
    const attached = await db.selectFrom('thing_principals').select(['thing_name', 'principal_type']).where('principal', '=', certificateArn).execute();
    const thingName = attached.find((a) => a.principal_type === 'EXCLUSIVE_THING')?.thing_name ?? attached.find((a) => a.thing_name === clientId)?.thing_name;
    const thing = thingName ? await db.selectFrom('things').select(['thing_type_name', 'attributes']).where('thing_name', '=', thingName).executeTakeFirst() : undefined;
    const attributes = thing ? (JSON.parse(thing.attributes) as Record<string, string>) : {};
    const remote = (stream as { remoteAddress?: string }).remoteAddress;
    const vars: VariableResolver = (name) => {
      if (name === 'iot:ClientId') return clientId;
      if (name === 'aws:SourceIp') return remote;
      if (name.startsWith('iot:Certificate.')) return certificateVariable(cert, name.slice('iot:Certificate.'.length));
      if (name === 'iot:Connection.Thing.IsAttached') return String(thing !== undefined);
      if (!thing) return undefined;
      if (name === 'iot:Connection.Thing.ThingName') return thingName;
      if (name === 'iot:Connection.Thing.ThingTypeName') return thing.thing_type_name ?? undefined;
      const attr = /^iot:Connection\.Thing\.Attributes\[(.+)\]$/.exec(name);
      return attr ? attributes[attr[1]!] : undefined;
    };
    const rows = await effectivePolicies(scope, db, certificateArn, thing ? thingName : undefined);
    const { set, names } = this.compiled(rows);
    const policies = new CompiledPolicies(set, contextOf(vars, cert, attributes), vars, names);
    const identity: CertIdentity = { certificateId, certificateArn, clientId, thingName: thing ? thingName : undefined, policies, stream };
    const d = this.check(identity, 'iot:Connect', resourceArn(scope, 'client', clientId));
    if (!d) return { ok: false, reason: 'iot:Connect not allowed', log: { certificateId } };
    return { ok: true, identity };
  }

  /**
   * The policy engine resolves variables per decision, so one compiled set serves every connection
   * with the same default documents (a fleet shares its policy): compiled at the first CONNECT.
   */
  private compiled(rows: { name: string; document: string }[]): { set: PolicySet; names: string[] } {
    const key = rows.map((r) => `${r.name}\u0000${r.document}`).join('\u0001');
    let hit = this.sets.get(key);
    if (!hit) {
      // Documents were checked when stored; one that no longer compiles counts as no policy.
      const usable = rows.filter((r) => {
        try {
          return new PolicySet([{ document: r.document }]) !== undefined;
        } catch {
          this.o.log.warn({ policyName: r.name }, 'stored IoT policy does not compile; ignored');
          return false;
        }
      });
      hit = { set: new PolicySet(usable.map((r) => ({ document: r.document, name: `policy ${r.name}` }))), names: usable.map((r) => r.name) };
      if (this.sets.size >= 1000) this.sets.clear();
      this.sets.set(key, hit);
    }
    return hit;
  }

  /** A decision, logged at info when it denies: which action, resource, and which policies (perimeter.md §4.5). */
  check(identity: CertIdentity, action: Action, resource: string): boolean {
    const d: Decision = identity.policies.decide(action, resource);
    if (d.allowed) return true;
    this.o.log.info(
      {
        clientId: identity.clientId,
        certificateId: identity.certificateId,
        action,
        resource,
        decision: d.kind,
        ...(d.statement ? { deniedBy: describeStatement(d.statement) } : {}),
        // What would have allowed it: the Allow to add, or the Deny to narrow.
        needed: d.needed,
        policies: identity.policies.names,
      },
      'mqtt not authorized by IoT policy',
    );
    return false;
  }

  may(identity: CertIdentity, action: Exclude<Action, 'iot:Connect'>, name: string): boolean {
    return this.check(identity, action, resourceArn(this.o.scope, action === 'iot:Subscribe' ? 'topicfilter' : 'topic', name));
  }

  attach(identity: CertIdentity): void {
    this.live.add(identity);
    if (!this.timer) {
      this.timer = setInterval(() => void this.poll(), AUTH_POLL_MS);
      this.timer.unref();
    }
  }

  detach(identity: CertIdentity): void {
    this.live.delete(identity);
  }

  /** One small read per second per node while certificate devices are connected; their policies are recompiled on a change. */
  private async poll(): Promise<void> {
    if (this.polling || this.live.size === 0) return;
    this.polling = true;
    try {
      const v = await authVersion(this.o.store.db);
      if (v === this.version) return;
      const first = this.version === -1;
      this.version = v;
      if (first) return;
      for (const identity of [...this.live]) {
        const peer = peerOf(identity.stream);
        if (!peer) continue;
        const again = await this.load(peer, identity.clientId, identity.stream);
        if (!this.live.has(identity)) continue;
        if (again.ok) identity.policies = again.identity.policies;
        else {
          this.live.delete(identity);
          this.o.log.info({ clientId: identity.clientId, certificateId: identity.certificateId, reason: again.reason }, 'mqtt connection closed: no longer authorized');
          this.o.disconnect(identity, again.reason);
        }
      }
    } catch (err) {
      this.o.log.warn({ err: (err as Error).message }, 'mqtt authorization refresh failed; retrying');
    } finally {
      this.polling = false;
    }
  }

  /** Starts from the current version, so the first poll does not recompile everything. */
  async start(): Promise<void> {
    this.version = await authVersion(this.o.store.db);
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.live.clear();
  }
}
