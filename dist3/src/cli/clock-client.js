import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Sha256 } from '../auth/sigv4.js';
import { CLOCK_PATH } from '../http/clock-route.js';
/** GET or POST /_iot-jobs/clock, SigV4-signed for the control plane like any AWS client request. */
export async function clockRequest(ep, body) {
    const u = new URL(ep.url);
    const method = body === undefined ? 'GET' : 'POST';
    const text = body === undefined ? undefined : JSON.stringify(body);
    const headers = { host: u.host };
    if (text !== undefined)
        headers['content-type'] = 'application/json';
    const signer = new SignatureV4({ service: 'iot', region: ep.region, credentials: ep.credentials, sha256: Sha256 });
    const signed = await signer.sign(new HttpRequest({ method, protocol: u.protocol, hostname: u.hostname, port: u.port ? Number(u.port) : undefined, path: CLOCK_PATH, headers, body: text }));
    const res = await fetch(new URL(CLOCK_PATH, ep.url), { method, headers: signed.headers, body: text });
    const raw = await res.text();
    let parsed;
    try {
        parsed = JSON.parse(raw);
    }
    catch {
        parsed = { message: raw };
    }
    return { status: res.status, body: parsed };
}
/** "90s", "5m", "2h", "1d" or plain seconds ("1.5") as seconds; undefined when malformed. */
export function parseDuration(text) {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
    if (!m)
        return undefined;
    const n = Number(m[1]);
    const unit = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 }[(m[2] ?? 's')];
    const seconds = n * unit;
    return seconds > 0 ? seconds : undefined;
}
//# sourceMappingURL=clock-client.js.map