/**
 * IAM users and their policies at run time: the users file loaded and compiled once, reloaded on
 * SIGHUP and when the file changes (a reload that fails keeps the policies in force and logs why),
 * and `authorize`, the one decision every wire asks for.
 */
import { unwatchFile, watchFile } from 'node:fs';
import { ServiceError } from '../errors.js';
import { describeStatement } from '../domain/policy/index.js';
import { loadUsers } from './users.js';
/** AWS's denial: 403 AccessDeniedException with its message, for implicit and explicit denies. */
export function accessDenied(user, d) {
    const why = d.kind === 'explicitDeny'
        ? `with an explicit deny in an identity-based policy`
        : `because no identity-based policy allows the ${d.action} action`;
    return new ServiceError('AccessDeniedException', `User: ${user.arn} is not authorized to perform: ${d.action} on resource: ${d.resource} ${why}`);
}
/** The decision as a log line's fields. */
export function decisionFields(user, resources, d) {
    return {
        user: user.name,
        action: d.action,
        resources,
        decision: d.kind,
        ...(d.statement && { statement: describeStatement(d.statement) }),
        ...(d.needed && { needed: d.needed }),
    };
}
export class Iam {
    path;
    accountId;
    log;
    dir;
    watcher;
    /** Loads the file now; throws IamFileError (one line) when it cannot be used. */
    constructor(path, accountId, log) {
        this.path = path;
        this.accountId = accountId;
        this.log = log;
        this.dir = loadUsers(path, accountId);
    }
    get users() {
        return this.dir.byKey.size;
    }
    /** The secret of a key the file names; undefined for any other key (UnrecognizedClientException). */
    secretOf = (accessKeyId) => this.dir.byKey.get(accessKeyId)?.secretAccessKey;
    userByKey(accessKeyId) {
        return this.dir.byKey.get(accessKeyId);
    }
    userByName(name) {
        return this.dir.byName.get(name);
    }
    /** Loads the file again; on failure the policies in force stay and the reason is logged. */
    reload(why) {
        try {
            this.dir = loadUsers(this.path, this.accountId);
            this.log.info({ file: this.path, users: this.dir.byKey.size, trigger: why }, 'IAM policies reloaded');
            return true;
        }
        catch (err) {
            this.log.error({ file: this.path, trigger: why, err: err.message }, 'IAM policies not reloaded: the previous ones stay in force');
            return false;
        }
    }
    /** Reloads when the file changes (polled: editors and config managers often replace the file). */
    watch(intervalMs = 500) {
        if (this.watcher)
            return;
        this.watcher = (cur, prev) => {
            if (cur.mtimeMs !== prev.mtimeMs || cur.size !== prev.size || cur.ino !== prev.ino)
                this.reload('file changed');
        };
        watchFile(this.path, { interval: intervalMs, persistent: false }, this.watcher);
    }
    close() {
        // This listener only: another server in the process may watch the same file.
        if (this.watcher)
            unwatchFile(this.path, this.watcher);
        this.watcher = undefined;
    }
    /** The decision alone, with the user's principal keys added to `context`. */
    decide(user, action, resources, context = {}, o = {}) {
        return user.policies.evaluate({
            action,
            resources: resources.length ? resources : ['*'],
            context: [user.context, context],
            resourceContext: o.resourceContext,
            resolve: o.resolve,
        });
    }
    /**
     * For wires other than HTTP (application MQTT clients): the identity (an access key id or a
     * user), the action (iot:Connect, iot:Publish, iot:Subscribe, iot:Receive), its resources, and
     * request keys such as aws:SourceIp or iot:ClientId. Logs the decision at info; an unknown
     * access key is denied.
     */
    authorize(identity, action, resources, context = {}, o = {}) {
        const user = typeof identity === 'string' ? this.userByKey(identity) : identity;
        if (!user) {
            const d = { allowed: false, kind: 'implicitDeny', action, resource: resources[0] ?? '*', needed: `a user of ${this.path} with this access key` };
            this.log.info({ accessKeyId: identity, action, resources, decision: d.kind }, 'IAM decision: unknown access key');
            return d;
        }
        const d = this.decide(user, action, resources, context, o);
        this.log.info(decisionFields(user, resources, d), 'IAM decision');
        return { ...d, user };
    }
}
//# sourceMappingURL=iam.js.map