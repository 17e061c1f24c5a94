import mqtt from 'mqtt';
import { AttachPolicyCommand, AttachThingPrincipalCommand, CreateKeysAndCertificateCommand, CreatePolicyCommand, CreateThingCommand } from '@aws-sdk/client-iot';
export async function provisionWithSdk(iot, url, thing, policy) {
    await iot.send(new CreateThingCommand({ thingName: thing }));
    const made = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
    await iot.send(new AttachThingPrincipalCommand({ thingName: thing, principal: made.certificateArn }));
    if (policy) {
        await iot.send(new CreatePolicyCommand({ policyName: policy.name, policyDocument: policy.document }));
        await iot.send(new AttachPolicyCommand({ policyName: policy.name, target: made.certificateArn }));
    }
    const ca = await (await fetch(`${url}/_iot-jobs/ca.pem`)).text();
    return { thing, certificateArn: made.certificateArn, certificateId: made.certificateId, cert: made.certificatePem, key: made.keyPair.PrivateKey, ca };
}
/** Connects with the device's certificate; resolves with the client, or rejects with the CONNACK's reason code. */
export function connectCert(tlsUrl, p, clientId, protocolVersion = 5) {
    return new Promise((resolve, reject) => {
        const c = mqtt.connect(tlsUrl, { clientId, protocolVersion, ca: p.ca, cert: p.cert, key: p.key, rejectUnauthorized: true, reconnectPeriod: 0, connectTimeout: 5000 });
        c.once('connect', () => resolve(c));
        c.once('error', (err) => {
            c.end(true);
            reject(err);
        });
        c.once('close', () => reject(new Error('closed before CONNACK')));
    });
}
/** Resolves with the reason code of a DISCONNECT the server sends (MQTT 5), or 'closed' when the socket closes without one. */
export function serverDisconnect(c) {
    return new Promise((resolve) => {
        c.once('disconnect', (p) => resolve(p.reasonCode ?? 0));
        c.once('close', () => resolve('closed'));
    });
}
/** The next message on `topic`, or undefined after `ms`. */
export function nextMessage(c, topic, ms = 1500) {
    return new Promise((resolve) => {
        const timer = setTimeout(() => {
            c.off('message', on);
            resolve(undefined);
        }, ms);
        const on = (t, payload) => {
            if (t !== topic)
                return;
            clearTimeout(timer);
            c.off('message', on);
            resolve(JSON.parse(payload.toString()));
        };
        c.on('message', on);
    });
}
//# sourceMappingURL=cert-device.js.map