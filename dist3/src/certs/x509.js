import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createHash, createPrivateKey, createPublicKey, randomBytes, webcrypto, X509Certificate } from 'node:crypto';
// @peculiar/x509 builds and parses the ASN.1; Node's crypto holds the keys and verifies chains.
x509.cryptoProvider.set(webcrypto);
const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
/** Certificates AWS IoT issues expire then (docs: X.509 client certificates). */
export const AWS_NOT_AFTER = new Date('2049-12-31T23:59:59Z');
export class CertificateError extends Error {
}
/** The lowercase hex SHA-256 of the certificate's DER: AWS's certificateId (perimeter.md §3.1). */
export function certificateId(pem) {
    return createHash('sha256').update(new X509Certificate(pem).raw).digest('hex');
}
/** A certificate parsed, or CertificateError for anything that is not one PEM X.509 certificate. */
export function parseCertificate(pem) {
    if (!/-----BEGIN CERTIFICATE-----/.test(pem))
        throw new CertificateError('The certificate is not a PEM-encoded X.509 certificate');
    try {
        return new X509Certificate(pem);
    }
    catch {
        throw new CertificateError('The certificate is not a valid X.509 certificate');
    }
}
const serial = () => {
    const b = randomBytes(16);
    b[0] &= 0x7f; // positive
    return b.toString('hex');
};
const pem = (der, label) => x509.PemConverter.encode(der, label);
async function signingKey(ca) {
    const cert = new x509.X509Certificate(ca.certPem);
    const isEc = createPrivateKey(ca.keyPem).asymmetricKeyType === 'ec';
    const alg = isEc ? EC : RSA;
    const der = createPrivateKey(ca.keyPem).export({ type: 'pkcs8', format: 'der' });
    const key = await webcrypto.subtle.importKey('pkcs8', der, alg, false, ['sign']);
    return { cert, key: key, alg };
}
/** A new root CA (RSA 2048, like Amazon Root CA 1), valid until AWS's own issued certificates expire. */
export async function createCa(name, now) {
    const keys = (await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify']));
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
        serialNumber: serial(),
        name,
        notBefore: new Date(now.getTime() - 3600_000),
        notAfter: AWS_NOT_AFTER,
        keys,
        signingAlgorithm: RSA,
        extensions: [
            new x509.BasicConstraintsExtension(true, undefined, true),
            new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
            await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
        ],
    });
    return { certPem: cert.toString('pem'), keyPem: pem(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY') };
}
async function issue(ca, subject, publicKey, notAfter, now, extensions) {
    const signer = await signingKey(ca);
    const cert = await x509.X509CertificateGenerator.create({
        serialNumber: serial(),
        subject,
        issuer: signer.cert.subject,
        notBefore: new Date(now.getTime() - 3600_000),
        notAfter,
        publicKey,
        signingKey: signer.key,
        signingAlgorithm: signer.alg,
        extensions: [new x509.BasicConstraintsExtension(false, undefined, true), await x509.AuthorityKeyIdentifierExtension.create(signer.cert), ...extensions],
    });
    return cert.toString('pem');
}
/** The MQTT TLS listener's certificate (EC P-256), for its host names and addresses. */
export async function issueServerCertificate(ca, hosts, now) {
    const keys = (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']));
    const names = [...new Set(hosts)].map((h) => (/^[\d.]+$|:/.test(h) ? { type: 'ip', value: h } : { type: 'dns', value: h }));
    const certPem = await issue(ca, `CN=${hosts[0]}`, keys.publicKey, new Date(now.getTime() + 397 * 86400_000), now, [
        new x509.SubjectAlternativeNameExtension(names),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    ]);
    return { certPem, keyPem: pem(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY') };
}
const DEVICE_EXTENSIONS = () => [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]), new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)];
const DEVICE_SUBJECT = 'CN=AWS IoT Certificate';
/** CreateKeysAndCertificate: a new RSA 2048 key pair and its certificate, keys in the PEM forms AWS returns. */
export async function createKeysAndCertificate(ca, now) {
    const keys = (await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify']));
    const certPem = await issue(ca, DEVICE_SUBJECT, keys.publicKey, AWS_NOT_AFTER, now, DEVICE_EXTENSIONS());
    const priv = createPrivateKey({ key: Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)), format: 'der', type: 'pkcs8' });
    return {
        certPem,
        publicKey: createPublicKey(priv).export({ type: 'spki', format: 'pem' }).toString(),
        // AWS hands out "-----BEGIN RSA PRIVATE KEY-----" (PKCS#1).
        privateKey: priv.export({ type: 'pkcs1', format: 'pem' }).toString(),
    };
}
const CSR_KEYS = new Set(['rsa', 'ec']);
/** CreateCertificateFromCsr: a certificate for the CSR's key (RSA ≥ 2048, EC P-256/384/521), signature checked. */
export async function certificateFromCsr(ca, csrPem, now) {
    let csr;
    try {
        csr = new x509.Pkcs10CertificateRequest(csrPem);
    }
    catch {
        throw new CertificateError('The certificate signing request is not a valid PKCS#10 request');
    }
    if (!(await csr.verify()))
        throw new CertificateError('The signature of the certificate signing request does not verify');
    const spki = createPublicKey({ key: Buffer.from(csr.publicKey.rawData), format: 'der', type: 'spki' });
    const type = spki.asymmetricKeyType ?? '';
    if (!CSR_KEYS.has(type))
        throw new CertificateError(`Keys of type ${type} are not supported; use RSA or EC`);
    if (type === 'rsa' && (spki.asymmetricKeyDetails?.modulusLength ?? 0) < 2048)
        throw new CertificateError('RSA keys must have at least 2048 bits');
    if (type === 'ec' && !['prime256v1', 'secp384r1', 'secp521r1'].includes(spki.asymmetricKeyDetails?.namedCurve ?? ''))
        throw new CertificateError('EC keys must be on P-256, P-384 or P-521');
    return issue(ca, DEVICE_SUBJECT, csr.publicKey, AWS_NOT_AFTER, now, DEVICE_EXTENSIONS());
}
/** A device certificate for any subject and key type; tests and benchmarks use it to stand in for a vendor's CA. */
export async function issueDeviceCertificate(ca, subject, now, kind = 'ec') {
    const alg = kind === 'ec' ? EC : RSA;
    const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']));
    const certPem = await issue(ca, subject, keys.publicKey, AWS_NOT_AFTER, now, DEVICE_EXTENSIONS());
    return { certPem, keyPem: pem(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY') };
}
/** True when `cert` was signed by `ca` (issuer name and signature). */
export function issuedBy(cert, ca) {
    return cert.checkIssued(ca) && cert.verify(ca.publicKey);
}
//# sourceMappingURL=x509.js.map