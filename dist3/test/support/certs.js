import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
/** A throwaway PKI made with the openssl command line (EC P-256 keys, valid one day). */
export function makePki() {
    const dir = mkdtempSync(join(tmpdir(), 'iot-jobs-pki-'));
    const f = (name) => join(dir, name);
    const ssl = (...args) => execFileSync('openssl', args, { stdio: 'pipe' });
    const key = (name) => ssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', f(`${name}.key`));
    const read = (name) => ({ cert: readFileSync(f(`${name}.pem`), 'utf8'), key: readFileSync(f(`${name}.key`), 'utf8'), certFile: f(`${name}.pem`), keyFile: f(`${name}.key`) });
    const signed = (name, cn, ext) => {
        key(name);
        ssl('req', '-new', '-key', f(`${name}.key`), '-subj', `/CN=${cn}`, '-out', f(`${name}.csr`));
        const extArgs = [];
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
//# sourceMappingURL=certs.js.map