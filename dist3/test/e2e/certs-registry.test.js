import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, createPrivateKey, createPublicKey, randomBytes, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AttachPolicyCommand, AttachThingPrincipalCommand, CreateCertificateFromCsrCommand, CreateKeysAndCertificateCommand, CreatePolicyCommand, CreatePolicyVersionCommand, CreateThingCommand, CreateThingGroupCommand, AddThingToThingGroupCommand, DeleteCACertificateCommand, DeleteCertificateCommand, DeletePolicyCommand, DeletePolicyVersionCommand, DeleteThingCommand, DescribeCACertificateCommand, DescribeCertificateCommand, DescribeEndpointCommand, DetachPolicyCommand, DetachThingPrincipalCommand, GetEffectivePoliciesCommand, GetPolicyCommand, GetPolicyVersionCommand, GetRegistrationCodeCommand, ListAttachedPoliciesCommand, ListCACertificatesCommand, ListCertificatesByCACommand, ListCertificatesCommand, ListPoliciesCommand, ListPolicyVersionsCommand, ListPrincipalThingsCommand, ListPrincipalThingsV2Command, ListTargetsForPolicyCommand, ListThingPrincipalsCommand, ListThingPrincipalsV2Command, RegisterCACertificateCommand, RegisterCertificateCommand, RegisterCertificateWithoutCACommand, SetDefaultPolicyVersionCommand, UpdateCACertificateCommand, UpdateCertificateCommand, } from '@aws-sdk/client-iot';
import { BACKENDS, startServer } from '../support/harness.js';
import { rejectsWith } from '../support/assert.js';
import { makePki } from '../support/certs.js';
import { arn, policyDocument } from '../support/provision.js';
import { connectCert } from '../support/cert-device.js';
/** The certificate, thing-principal and policy registry operations, shapes and errors from the model (perimeter.md §3, §4.1). */
const tag = randomBytes(3).toString('hex');
const idOf = (pem) => createHash('sha256').update(new X509Certificate(pem).raw).digest('hex');
const ssl = (...args) => execFileSync('openssl', args, { stdio: 'pipe' }).toString();
const connectAll = (t) => policyDocument([{ Effect: 'Allow', Action: 'iot:*', Resource: '*' }, { Effect: 'Allow', Action: 'iot:Connect', Resource: arn('client', t) }]);
for (const backend of BACKENDS) {
    describe(`certificate and policy registry [${backend}]`, () => {
        let s;
        let caPem;
        before(async () => {
            s = await startServer(backend, { mqttPort: 0, mqttTls: { port: 0 } });
            caPem = await (await fetch(`${s.url}/_iot-jobs/ca.pem`)).text();
        });
        after(async () => {
            await s.close();
        });
        test('CreateKeysAndCertificate: RSA 2048 keys in AWS\'s PEM forms, id = SHA-256 of the DER, issued by ca.pem until 2049', async () => {
            const r = await s.iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
            assert.equal(r.certificateId, idOf(r.certificatePem));
            assert.equal(r.certificateArn, arn('cert', r.certificateId));
            assert.match(r.keyPair.PrivateKey, /^-----BEGIN RSA PRIVATE KEY-----/);
            assert.match(r.keyPair.PublicKey, /^-----BEGIN PUBLIC KEY-----/);
            assert.equal(createPrivateKey(r.keyPair.PrivateKey).asymmetricKeyDetails?.modulusLength, 2048);
            const cert = new X509Certificate(r.certificatePem);
            assert.ok(cert.checkIssued(new X509Certificate(caPem)) && cert.verify(new X509Certificate(caPem).publicKey));
            assert.equal(new Date(cert.validTo).toISOString(), '2049-12-31T23:59:59.000Z');
            const d = (await s.iot.send(new DescribeCertificateCommand({ certificateId: r.certificateId }))).certificateDescription;
            assert.equal(d.status, 'ACTIVE');
            assert.equal(d.certificateMode, 'DEFAULT');
            assert.equal(d.ownedBy, '000000000000');
            assert.equal(d.certificatePem?.trim(), r.certificatePem?.trim());
            assert.equal(d.validity?.notAfter?.toISOString(), '2049-12-31T23:59:59.000Z');
            await rejectsWith(s.iot.send(new DescribeCertificateCommand({ certificateId: 'ab'.repeat(32) })), 'ResourceNotFoundException', 404);
        });
        test('ListCertificates: keyset pages with marker/nextMarker, newest first or ascending', async () => {
            const made = [];
            for (let i = 0; i < 3; i++)
                made.push((await s.iot.send(new CreateKeysAndCertificateCommand({}))).certificateId);
            const walk = async (ascendingOrder) => {
                const ids = [];
                let marker;
                do {
                    const p = await s.iot.send(new ListCertificatesCommand({ pageSize: 2, marker, ascendingOrder }));
                    assert.ok(p.certificates.length <= 2);
                    ids.push(...p.certificates.map((c) => c.certificateId));
                    marker = p.nextMarker;
                } while (marker);
                return ids;
            };
            const asc = await walk(true);
            const desc = await walk(false);
            assert.deepEqual([...desc].reverse(), asc);
            assert.equal(new Set(asc).size, asc.length);
            for (const id of made)
                assert.ok(asc.includes(id));
            await rejectsWith(s.iot.send(new ListCertificatesCommand({ marker: 'forged' })), 'InvalidRequestException', 400);
        });
        test('CreateCertificateFromCsr signs the CSR\'s key; a bad CSR is CertificateValidationException', async () => {
            const pki = makePki();
            ssl('req', '-new', '-key', pki.server.keyFile, '-subj', '/CN=csr-device', '-out', join(pki.dir, 'd.csr'));
            const csr = readFileSync(join(pki.dir, 'd.csr'), 'utf8');
            const r = await s.iot.send(new CreateCertificateFromCsrCommand({ certificateSigningRequest: csr, setAsActive: true }));
            assert.equal(r.certificateId, idOf(r.certificatePem));
            assert.equal(new X509Certificate(r.certificatePem).publicKey.export({ type: 'spki', format: 'pem' }), createPublicKey(pki.server.key).export({ type: 'spki', format: 'pem' }));
            await rejectsWith(s.iot.send(new CreateCertificateFromCsrCommand({ certificateSigningRequest: '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----' })), 'CertificateValidationException', 400);
        });
        test('RegisterCACertificate with the registration code, RegisterCertificate, ListCertificatesByCA; its device connects', async () => {
            const pki = makePki();
            const code = (await s.iot.send(new GetRegistrationCodeCommand({}))).registrationCode;
            assert.match(code, /^[0-9a-f]{64}$/);
            assert.equal((await s.iot.send(new GetRegistrationCodeCommand({}))).registrationCode, code, 'the same code every time');
            const wrong = pki.device('not-the-code');
            await rejectsWith(s.iot.send(new RegisterCACertificateCommand({ caCertificate: pki.ca.cert, verificationCertificate: wrong.cert })), 'RegistrationCodeValidationException', 400);
            // openssl's x509 -req keeps no basicConstraints: a CA made by `req -x509` has CA:TRUE.
            const proof = pki.device(code);
            const ca = await s.iot.send(new RegisterCACertificateCommand({ caCertificate: pki.ca.cert, verificationCertificate: proof.cert, setAsActive: true }));
            assert.equal(ca.certificateId, idOf(pki.ca.cert));
            await rejectsWith(s.iot.send(new RegisterCACertificateCommand({ caCertificate: pki.ca.cert, verificationCertificate: proof.cert })), 'ResourceAlreadyExistsException', 409);
            const desc = (await s.iot.send(new DescribeCACertificateCommand({ certificateId: ca.certificateId }))).certificateDescription;
            assert.equal(desc.status, 'ACTIVE');
            assert.equal(desc.autoRegistrationStatus, 'DISABLE');
            assert.ok((await s.iot.send(new ListCACertificatesCommand({}))).certificates.some((c) => c.certificateId === ca.certificateId));
            const thing = `certs-regca-${tag}-${backend}`;
            const dev = pki.device(thing);
            const reg = await s.iot.send(new RegisterCertificateCommand({ certificatePem: dev.cert, setAsActive: true }));
            assert.equal((await s.iot.send(new DescribeCertificateCommand({ certificateId: reg.certificateId }))).certificateDescription?.caCertificateId, ca.certificateId);
            assert.deepEqual((await s.iot.send(new ListCertificatesByCACommand({ caCertificateId: ca.certificateId }))).certificates.map((c) => c.certificateId), [reg.certificateId]);
            await rejectsWith(s.iot.send(new RegisterCertificateCommand({ certificatePem: pki.rogue(thing).cert })), 'CertificateValidationException', 400);
            await s.iot.send(new CreateThingCommand({ thingName: thing }));
            await s.iot.send(new AttachThingPrincipalCommand({ thingName: thing, principal: reg.certificateArn }));
            await s.iot.send(new CreatePolicyCommand({ policyName: `certs-regca-${tag}-${backend}`, policyDocument: connectAll(thing) }));
            await s.iot.send(new AttachPolicyCommand({ policyName: `certs-regca-${tag}-${backend}`, target: reg.certificateArn }));
            const c = await connectCert(s.app.mqttTlsUrl, { cert: dev.cert, key: dev.key, ca: caPem }, thing);
            c.end(true);
            // A CA made INACTIVE stops its devices from connecting.
            await s.iot.send(new UpdateCACertificateCommand({ certificateId: ca.certificateId, newStatus: 'INACTIVE' }));
            await assert.rejects(connectCert(s.app.mqttTlsUrl, { cert: dev.cert, key: dev.key, ca: caPem }, thing), (err) => err.code === 0x87);
            await rejectsWith(s.iot.send(new DeleteCACertificateCommand({ certificateId: ca.certificateId })), 'CertificateStateException', 406);
        });
        test('RegisterCertificateWithoutCA: SNI_ONLY, and such a device connects', async () => {
            const pki = makePki();
            const thing = `certs-noca-${tag}-${backend}`;
            const self = pki.rogue(thing);
            const r = await s.iot.send(new RegisterCertificateWithoutCACommand({ certificatePem: self.cert, status: 'ACTIVE' }));
            const d = (await s.iot.send(new DescribeCertificateCommand({ certificateId: r.certificateId }))).certificateDescription;
            assert.equal(d.certificateMode, 'SNI_ONLY');
            assert.equal(d.caCertificateId, undefined);
            await rejectsWith(s.iot.send(new RegisterCertificateWithoutCACommand({ certificatePem: self.cert })), 'ResourceAlreadyExistsException', 409);
            await s.iot.send(new CreateThingCommand({ thingName: thing }));
            await s.iot.send(new AttachThingPrincipalCommand({ thingName: thing, principal: r.certificateArn }));
            await s.iot.send(new CreatePolicyCommand({ policyName: `certs-noca-${tag}-${backend}`, policyDocument: connectAll(thing) }));
            await s.iot.send(new AttachPolicyCommand({ policyName: `certs-noca-${tag}-${backend}`, target: r.certificateArn }));
            (await connectCert(s.app.mqttTlsUrl, { cert: self.cert, key: self.key, ca: caPem }, thing)).end(true);
        });
        test('UpdateCertificate transitions and DeleteCertificate\'s conditions, with AWS\'s errors', async () => {
            const thing = `certs-del-${tag}-${backend}`;
            await s.iot.send(new CreateThingCommand({ thingName: thing }));
            const c = await s.iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
            const id = c.certificateId;
            const policyName = `certs-del-${tag}-${backend}`;
            await s.iot.send(new CreatePolicyCommand({ policyName, policyDocument: connectAll(thing) }));
            await s.iot.send(new AttachPolicyCommand({ policyName, target: c.certificateArn }));
            await s.iot.send(new AttachThingPrincipalCommand({ thingName: thing, principal: c.certificateArn }));
            await rejectsWith(s.iot.send(new DeleteCertificateCommand({ certificateId: id })), 'CertificateStateException', 406, new RegExp(`Certificate must be deactivated \\(not ACTIVE\\) before deletion. Id: ${id}`));
            await rejectsWith(s.iot.send(new UpdateCertificateCommand({ certificateId: id, newStatus: 'PENDING_TRANSFER' })), 'CertificateStateException', 406);
            await s.iot.send(new UpdateCertificateCommand({ certificateId: id, newStatus: 'INACTIVE' }));
            await rejectsWith(s.iot.send(new DeleteCertificateCommand({ certificateId: id })), 'DeleteConflictException', 409, /Things must be detached before deletion/);
            await rejectsWith(s.iot.send(new DeleteThingCommand({ thingName: thing })), 'InvalidRequestException', 400, /still attached to one or more principals/);
            await s.iot.send(new DetachThingPrincipalCommand({ thingName: thing, principal: c.certificateArn }));
            await rejectsWith(s.iot.send(new DeleteCertificateCommand({ certificateId: id })), 'DeleteConflictException', 409, /Certificate policies must be detached before deletion/);
            await s.iot.send(new DeleteCertificateCommand({ certificateId: id, forceDelete: true }));
            await rejectsWith(s.iot.send(new DescribeCertificateCommand({ certificateId: id })), 'ResourceNotFoundException', 404);
            assert.deepEqual((await s.iot.send(new ListTargetsForPolicyCommand({ policyName }))).targets, []);
            await s.iot.send(new DeleteThingCommand({ thingName: thing }));
            const r = await s.iot.send(new CreateKeysAndCertificateCommand({}));
            await s.iot.send(new UpdateCertificateCommand({ certificateId: r.certificateId, newStatus: 'REVOKED' }));
            await rejectsWith(s.iot.send(new UpdateCertificateCommand({ certificateId: r.certificateId, newStatus: 'ACTIVE' })), 'CertificateStateException', 406);
        });
        test('thing principals: EXCLUSIVE_THING, the V1 and V2 lists both ways', async () => {
            const [t1, t2] = [`certs-tp1-${tag}-${backend}`, `certs-tp2-${tag}-${backend}`];
            for (const t of [t1, t2])
                await s.iot.send(new CreateThingCommand({ thingName: t }));
            const a = (await s.iot.send(new CreateKeysAndCertificateCommand({}))).certificateArn;
            const b = (await s.iot.send(new CreateKeysAndCertificateCommand({}))).certificateArn;
            await s.iot.send(new AttachThingPrincipalCommand({ thingName: t1, principal: a, thingPrincipalType: 'EXCLUSIVE_THING' }));
            await rejectsWith(s.iot.send(new AttachThingPrincipalCommand({ thingName: t2, principal: a })), 'InvalidRequestException', 400, /exclusively/);
            await s.iot.send(new AttachThingPrincipalCommand({ thingName: t1, principal: b }));
            await s.iot.send(new AttachThingPrincipalCommand({ thingName: t2, principal: b }));
            assert.deepEqual((await s.iot.send(new ListThingPrincipalsCommand({ thingName: t1 }))).principals, [a, b].sort());
            const v2 = await s.iot.send(new ListThingPrincipalsV2Command({ thingName: t1, thingPrincipalType: 'EXCLUSIVE_THING' }));
            assert.deepEqual(v2.thingPrincipalObjects, [{ principal: a, thingPrincipalType: 'EXCLUSIVE_THING' }]);
            const page1 = await s.iot.send(new ListPrincipalThingsCommand({ principal: b, maxResults: 1 }));
            const page2 = await s.iot.send(new ListPrincipalThingsCommand({ principal: b, maxResults: 1, nextToken: page1.nextToken }));
            assert.deepEqual([...page1.things, ...page2.things], [t1, t2]);
            assert.deepEqual((await s.iot.send(new ListPrincipalThingsV2Command({ principal: b }))).principalThingObjects, [
                { thingName: t1, thingPrincipalType: 'NON_EXCLUSIVE_THING' },
                { thingName: t2, thingPrincipalType: 'NON_EXCLUSIVE_THING' },
            ]);
            await rejectsWith(s.iot.send(new AttachThingPrincipalCommand({ thingName: t1, principal: arn('cert', 'cd'.repeat(32)) })), 'ResourceNotFoundException', 404);
            await rejectsWith(s.iot.send(new AttachThingPrincipalCommand({ thingName: `certs-none-${tag}`, principal: b })), 'ResourceNotFoundException', 404);
        });
        test('policies: versions (at most 5), default version, deletes, attachments, lists and effective policies', async () => {
            const name = `certs-pol-${tag}-${backend}`;
            const doc = (n) => policyDocument([{ Sid: `v${n}`, Effect: 'Allow', Action: 'iot:Publish', Resource: arn('topic', `t${n}`) }]);
            const created = await s.iot.send(new CreatePolicyCommand({ policyName: name, policyDocument: doc(1) }));
            assert.equal(created.policyVersionId, '1');
            assert.equal(created.policyArn, arn('policy', name));
            await rejectsWith(s.iot.send(new CreatePolicyCommand({ policyName: name, policyDocument: doc(1) })), 'ResourceAlreadyExistsException', 409);
            for (const bad of ['{not json', '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iot:Publish"}]}', JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'iot:*', Resource: 'x'.repeat(2100) }] })])
                await rejectsWith(s.iot.send(new CreatePolicyCommand({ policyName: `${name}-bad`, policyDocument: bad })), 'MalformedPolicyException', 400);
            for (let n = 2; n <= 5; n++) {
                const v = await s.iot.send(new CreatePolicyVersionCommand({ policyName: name, policyDocument: doc(n), setAsDefault: n === 3 }));
                assert.equal(v.policyVersionId, String(n));
                assert.equal(v.isDefaultVersion, n === 3);
            }
            await rejectsWith(s.iot.send(new CreatePolicyVersionCommand({ policyName: name, policyDocument: doc(6) })), 'VersionsLimitExceededException', 409, /maximum number of versions \(5\)/);
            const got = await s.iot.send(new GetPolicyCommand({ policyName: name }));
            assert.equal(got.defaultVersionId, '3');
            assert.equal(got.policyDocument, doc(3));
            const versions = (await s.iot.send(new ListPolicyVersionsCommand({ policyName: name }))).policyVersions;
            assert.deepEqual(versions.map((v) => [v.versionId, v.isDefaultVersion]), [['5', false], ['4', false], ['3', true], ['2', false], ['1', false]]);
            assert.ok(versions[0].createDate instanceof Date);
            await rejectsWith(s.iot.send(new DeletePolicyVersionCommand({ policyName: name, policyVersionId: '3' })), 'DeleteConflictException', 409);
            await s.iot.send(new DeletePolicyVersionCommand({ policyName: name, policyVersionId: '5' }));
            // Version ids are not reused.
            assert.equal((await s.iot.send(new CreatePolicyVersionCommand({ policyName: name, policyDocument: doc(6) }))).policyVersionId, '6');
            await s.iot.send(new SetDefaultPolicyVersionCommand({ policyName: name, policyVersionId: '6' }));
            assert.equal((await s.iot.send(new GetPolicyVersionCommand({ policyName: name, policyVersionId: '6' }))).isDefaultVersion, true);
            await rejectsWith(s.iot.send(new GetPolicyVersionCommand({ policyName: name, policyVersionId: '5' })), 'ResourceNotFoundException', 404);
            await rejectsWith(s.iot.send(new DeletePolicyCommand({ policyName: name })), 'DeleteConflictException', 409, /one or more policy versions/);
            // Attachments: a certificate and a thing group; the group's reach a thing in it.
            const cert = (await s.iot.send(new CreateKeysAndCertificateCommand({}))).certificateArn;
            const group = `certs-grp-${tag}-${backend}`;
            const thing = `certs-grp-thing-${tag}-${backend}`;
            await s.iot.send(new CreateThingGroupCommand({ thingGroupName: group }));
            await s.iot.send(new CreateThingCommand({ thingName: thing }));
            await s.iot.send(new AddThingToThingGroupCommand({ thingGroupName: group, thingName: thing }));
            const other = `${name}-group`;
            await s.iot.send(new CreatePolicyCommand({ policyName: other, policyDocument: doc(9) }));
            await s.iot.send(new AttachPolicyCommand({ policyName: name, target: cert }));
            await s.iot.send(new AttachPolicyCommand({ policyName: other, target: arn('thinggroup', group) }));
            assert.deepEqual((await s.iot.send(new ListAttachedPoliciesCommand({ target: cert }))).policies, [{ policyName: name, policyArn: arn('policy', name) }]);
            assert.deepEqual((await s.iot.send(new ListTargetsForPolicyCommand({ policyName: other }))).targets, [arn('thinggroup', group)]);
            const eff = await s.iot.send(new GetEffectivePoliciesCommand({ principal: cert, thingName: thing }));
            assert.deepEqual(eff.effectivePolicies.map((p) => [p.policyName, p.policyDocument]), [[name, doc(6)], [other, doc(9)]]);
            await rejectsWith(s.iot.send(new DeletePolicyCommand({ policyName: other })), 'DeleteConflictException', 409, /attached to one or more principals/);
            await s.iot.send(new DetachPolicyCommand({ policyName: other, target: arn('thinggroup', group) }));
            await s.iot.send(new DeletePolicyCommand({ policyName: other }));
            await rejectsWith(s.iot.send(new GetPolicyCommand({ policyName: other })), 'ResourceNotFoundException', 404);
            // At most 10 policies per target.
            for (let i = 0; i < 9; i++) {
                await s.iot.send(new CreatePolicyCommand({ policyName: `${name}-n${i}`, policyDocument: doc(1) }));
                await s.iot.send(new AttachPolicyCommand({ policyName: `${name}-n${i}`, target: cert }));
            }
            await s.iot.send(new CreatePolicyCommand({ policyName: `${name}-n9`, policyDocument: doc(1) }));
            await rejectsWith(s.iot.send(new AttachPolicyCommand({ policyName: `${name}-n9`, target: cert })), 'LimitExceededException', 410);
            // ListPolicies pages by name.
            const names = [];
            let marker;
            do {
                const p = await s.iot.send(new ListPoliciesCommand({ pageSize: 4, marker }));
                names.push(...p.policies.map((x) => x.policyName));
                marker = p.nextMarker;
            } while (marker);
            assert.deepEqual(names, [...names].sort());
            assert.ok(names.includes(`${name}-n9`));
        });
        test('DescribeEndpoint: iot:Data-ATS and iot:Data the TLS listener (host:port off AWS\'s port), iot:Jobs the HTTP address', async () => {
            const tls = new URL(s.app.mqttTlsUrl).host;
            assert.equal((await s.iot.send(new DescribeEndpointCommand({ endpointType: 'iot:Data-ATS' }))).endpointAddress, tls);
            assert.equal((await s.iot.send(new DescribeEndpointCommand({ endpointType: 'iot:Data' }))).endpointAddress, tls);
            assert.equal((await s.iot.send(new DescribeEndpointCommand({ endpointType: 'iot:Jobs' }))).endpointAddress, new URL(s.url).host);
        });
    });
}
//# sourceMappingURL=certs-registry.test.js.map