/**
 * The users file of `--iam-policies`: IAM users with a key pair and identity-based policies.
 *
 *   { "users": [ { "name": "ci", "accessKeyId": "AKIDCI", "secretAccessKey": "...",
 *                  "policies": [ { "Version": "2012-10-17", "Statement": [ ... ] } ] } ] }
 *
 * Every policy is checked and compiled here, once per load; a mistake is one line naming the user,
 * the policy and the statement.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PolicySet, PolicyError, PreparedContext } from '../domain/policy/index.js';
/** A users file that cannot be used; the message is one line. */
export class IamFileError extends Error {
}
const USER_KEYS = new Set(['name', 'accessKeyId', 'secretAccessKey', 'policies']);
const NAME = /^[\w+=,.@-]{1,64}$/;
const KEY_ID = /^\w{1,128}$/;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function userId(accountId, name) {
    const digest = createHash('sha256').update(`${accountId}/${name}`).digest();
    let out = 'AIDA';
    for (let i = 0; i < 17; i++)
        out += BASE32[digest[i] % 32];
    return out;
}
export function parseUsers(text, accountId) {
    let doc;
    try {
        doc = JSON.parse(text);
    }
    catch (e) {
        throw new IamFileError(`not valid JSON (${e.message})`);
    }
    const users = doc?.users;
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc) || !Array.isArray(users))
        throw new IamFileError('the file must be a JSON object with a "users" array');
    const extra = Object.keys(doc).filter((k) => k !== 'users');
    if (extra.length)
        throw new IamFileError(`unknown field ${extra[0]} (the file has only "users")`);
    const byKey = new Map();
    const byName = new Map();
    users.forEach((raw, i) => {
        const u = raw;
        if (u === null || typeof u !== 'object' || Array.isArray(u))
            throw new IamFileError(`users[${i}] must be an object`);
        if (typeof u.name !== 'string' || !NAME.test(u.name))
            throw new IamFileError(`users[${i}]: name must be 1-64 of letters, digits and +=,.@_-`);
        const who = `user ${u.name}`;
        for (const k of Object.keys(u))
            if (!USER_KEYS.has(k))
                throw new IamFileError(`${who}: unknown field ${k}`);
        if (typeof u.accessKeyId !== 'string' || !KEY_ID.test(u.accessKeyId))
            throw new IamFileError(`${who}: accessKeyId must be 1-128 letters, digits or _`);
        if (typeof u.secretAccessKey !== 'string' || u.secretAccessKey === '')
            throw new IamFileError(`${who}: secretAccessKey must be a non-empty string`);
        if (!Array.isArray(u.policies))
            throw new IamFileError(`${who}: policies must be an array of policy documents`);
        if (byName.has(u.name))
            throw new IamFileError(`${who}: the name is used twice`);
        if (byKey.has(u.accessKeyId))
            throw new IamFileError(`${who}: accessKeyId ${u.accessKeyId} is also user ${byKey.get(u.accessKeyId).name}'s`);
        let policies;
        try {
            policies = new PolicySet(u.policies.map((document, p) => ({ document, name: `${who}, policy ${p + 1}` })));
        }
        catch (e) {
            if (e instanceof PolicyError)
                throw new IamFileError(e.message);
            throw e;
        }
        const arn = `arn:aws:iam::${accountId}:user/${u.name}`;
        const id = userId(accountId, u.name);
        const user = {
            name: u.name,
            arn,
            userId: id,
            accessKeyId: u.accessKeyId,
            secretAccessKey: u.secretAccessKey,
            policies,
            context: new PreparedContext({
                'aws:username': u.name,
                'aws:userid': id,
                'aws:PrincipalArn': arn,
                'aws:PrincipalAccount': accountId,
                'aws:PrincipalType': 'User',
            }),
        };
        byKey.set(user.accessKeyId, user);
        byName.set(user.name, user);
    });
    return { byKey, byName };
}
/** Reads and compiles the file; IamFileError (prefixed with the path) for anything wrong. */
export function loadUsers(path, accountId) {
    let text;
    try {
        text = readFileSync(path, 'utf8');
    }
    catch (e) {
        throw new IamFileError(`--iam-policies ${path}: cannot read it (${e.code ?? 'error'})`);
    }
    try {
        return parseUsers(text, accountId);
    }
    catch (e) {
        if (e instanceof IamFileError)
            throw new IamFileError(`--iam-policies ${path}: ${e.message}`);
        throw e;
    }
}
//# sourceMappingURL=users.js.map