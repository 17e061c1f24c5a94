import { IoTClient } from '@aws-sdk/client-iot';

/** The key pair the user typed once; kept for the browser tab's session only. */
export interface Session {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

const KEY = 'iot-jobs.session';

export function loadSession(): Session | undefined {
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Session | null;
    return s?.accessKeyId && s.secretAccessKey && s.region ? s : undefined;
  } catch {
    return undefined;
  }
}

export function saveSession(s: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(s));
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}

/** The control-plane client: the page's own origin is the API's, so requests are same-origin (no CORS). */
export function iotClient(s: Session): IoTClient {
  return new IoTClient({
    endpoint: location.origin,
    region: s.region,
    credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey },
    maxAttempts: 2,
  });
}
