import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Pem {
  cert: string;
  key: string;
}

export interface TestPki {
  dir: string;
  ca: Pem & { certFile: string };
  /** For 127.0.0.1 (IP SAN), signed by the CA. */
  server: Pem & { certFile: string; keyFile: string };
  /** A device certificate (CN = thing) signed by the CA. */
  device(thing: string): Pem & { certFile: string; keyFile: string };
  /** A self-signed certificate with CN = thing: not from our CA. */
  rogue(thing: string): Pem;
}

/** A throwaway PKI made with the openssl command line (EC P-256 keys, valid one day). */
export function makePki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'iot-jobs-pki-'));
  const f = (name: string) => join(dir, name);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  const key = (name: string) => ssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', f(`${name}.key`));
  const read = (name: string) => ({ cert: readFileSync(f(`${name}.pem`), 'utf8'), key: readFileSync(f(`${name}.key`), 'utf8'), certFile: f(`${name}.pem`), keyFile: f(`${name}.key`) });
  const signed = (name: string, cn: string, ext?: string) => {
    key(name);
    ssl('req', '-new', '-key', f(`${name}.key`), '-subj', `/CN=${cn}`, '-out', f(`${name}.csr`));
    const extArgs: string[] = [];
    if (ext) {
      writeFileSync(f(`${name}.ext`), ext);
      extArgs.push('-extfile', f(`${name}.ext`));
    }
    ssl('x509', '-req', '-in', f(`${name}.csr`), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '1', '-out', f(`${name}.pem`), ...extArgs);
    return read(name);
  };
  key('ca');
  ssl('req', '-x509', '-new', '-key', f('ca.key'), '-subj', '/CN=iot-jobs test CA', '-days', '1', '-out', f('ca.pem'));
  const ca = read('ca');
  const server = signed('server', '127.0.0.1', 'subjectAltName=IP:127.0.0.1\n');
  return {
    dir,
    ca,
    server,
    device: (thing) => signed(`device-${thing}`, thing),
    rogue: (thing) => {
      key(`rogue-${thing}`);
      ssl('req', '-x509', '-new', '-key', f(`rogue-${thing}.key`), '-subj', `/CN=${thing}`, '-days', '1', '-out', f(`rogue-${thing}.pem`));
      return read(`rogue-${thing}`);
    },
  };
}
