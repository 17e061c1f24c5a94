import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Sha256 } from '../auth/sigv4.js';
/**
 * An MQTT-over-WebSocket URL presigned as AWS IoT wants it (SigV4 query parameters, service
 * `iotdevicegateway`, header `host` only), for a back-end application: iot-jobs's own CLI, or
 * any MQTT client that takes a URL (mqtt.js). The session token, when there is one, is appended
 * after signing, as AWS IoT expects and its device SDKs do.
 */
export async function presignMqttUrl(o) {
    const u = new URL(o.url);
    const signer = new SignatureV4({
        service: 'iotdevicegateway',
        region: o.region,
        credentials: { accessKeyId: o.credentials.accessKeyId, secretAccessKey: o.credentials.secretAccessKey },
        sha256: Sha256,
    });
    const request = new HttpRequest({ method: 'GET', protocol: u.protocol === 'wss:' ? 'https:' : 'http:', hostname: u.hostname, port: u.port ? Number(u.port) : undefined, path: u.pathname, headers: { host: u.host } });
    const signed = await signer.presign(request, { expiresIn: o.expiresIn ?? 3600, ...(o.signingDate ? { signingDate: o.signingDate } : {}) });
    const query = Object.entries(signed.query ?? {}).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
    if (o.credentials.sessionToken)
        query.push(`X-Amz-Security-Token=${encodeURIComponent(o.credentials.sessionToken)}`);
    return `${u.protocol}//${u.host}${u.pathname}?${query.join('&')}`;
}
//# sourceMappingURL=presign.js.map