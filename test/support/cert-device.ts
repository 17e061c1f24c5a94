import mqtt from 'mqtt';
import type { IoTClient } from '@aws-sdk/client-iot';
import { AttachPolicyCommand, AttachThingPrincipalCommand, CreateKeysAndCertificateCommand, CreatePolicyCommand, CreateThingCommand } from '@aws-sdk/client-iot';

/** A thing with a certificate of iot-jobs' CA (SDK v3 calls), a policy attached, and the CA to trust. */
export interface Provisioned {
  thing: string;
  certificateArn: string;
  certificateId: string;
  cert: string;
  key: string;
  ca: string;
}

export async function provisionWithSdk(iot: IoTClient, url: string, thing: string, policy: { name: string; document: string } | undefined): Promise<Provisioned> {
  await iot.send(new CreateThingCommand({ thingName: thing }));
  const made = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
  await iot.send(new AttachThingPrincipalCommand({ thingName: thing, principal: made.certificateArn! }));
  if (policy) {
    await iot.send(new CreatePolicyCommand({ policyName: policy.name, policyDocument: policy.document }));
    await iot.send(new AttachPolicyCommand({ policyName: policy.name, target: made.certificateArn! }));
  }
  const ca = await (await fetch(`${url}/_iot-jobs/ca.pem`)).text();
  return { thing, certificateArn: made.certificateArn!, certificateId: made.certificateId!, cert: made.certificatePem!, key: made.keyPair!.PrivateKey!, ca };
}

/** Connects with the device's certificate; resolves with the client, or rejects with the CONNACK's reason code. */
export function connectCert(tlsUrl: string, p: Pick<Provisioned, 'cert' | 'key' | 'ca'>, clientId: string, protocolVersion: 4 | 5 = 5): Promise<mqtt.MqttClient> {
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
export function serverDisconnect(c: mqtt.MqttClient): Promise<number | 'closed'> {
  return new Promise((resolve) => {
    c.once('disconnect', (p) => resolve(p.reasonCode ?? 0));
    c.once('close', () => resolve('closed'));
  });
}

/** The next message on `topic`, or undefined after `ms`. */
export function nextMessage(c: mqtt.MqttClient, topic: string, ms = 1500): Promise<Record<string, unknown> | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      c.off('message', on);
      resolve(undefined);
    }, ms);
    const on = (t: string, payload: Buffer) => {
      if (t !== topic) return;
      clearTimeout(timer);
      c.off('message', on);
      resolve(JSON.parse(payload.toString()) as Record<string, unknown>);
    };
    c.on('message', on);
  });
}
