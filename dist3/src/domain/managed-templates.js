/**
 * The AWS managed job templates, as data, in this one place (AWS IoT Jobs developer guide, managed templates).
 * Documents, parameter keys and optional flags are AWS's; where AWS shows no text (descriptions of
 * some templates and their parameters), the wording is iot-jobs's own (docs/compatibility.md).
 */
const p = (name) => `\${aws:iot:parameter:${name}}`;
const RUN_AS_USER = {
    key: 'runAsUser',
    description: 'Execute handler as another user. If not specified, then handler is executed as the same user as device client.',
    regex: '(.){0,256}',
    example: 'user1',
    optional: true,
};
const PATH_TO_HANDLER = {
    key: 'pathToHandler',
    description: 'Path to handler on the device. If not specified, then device client will use the current working directory.',
    regex: '(.){0,4096}',
    example: '/path/to/handler/script',
    optional: true,
};
const required = (key, description, example) => ({ key, description, regex: '(.*?)', example, optional: false });
const PACKAGES = (verb) => required('packages', `Space separated list of packages to ${verb}.`, 'package1 package2');
const SERVICES = (verb) => required('services', `Space separated list of system services to ${verb}.`, 'service1 service2');
/** A runHandler document: {version, steps: [{action: {name, type, input: {handler, args?, path}, runAsUser}}]}. */
function handlerDocument(name, handler, args) {
    const input = { handler };
    if (args.length)
        input.args = args.map(p);
    input.path = p('pathToHandler');
    return JSON.stringify({ version: '1.0', steps: [{ action: { name, type: 'runHandler', input, runAsUser: p('runAsUser') } }] });
}
function handlerTemplate(templateName, description, handler, params) {
    return {
        templateName,
        templateVersion: '1.0',
        description,
        environments: ['LINUX'],
        documentParameters: [...params, RUN_AS_USER, PATH_TO_HANDLER],
        document: handlerDocument(templateName.replace(/^AWS-/, ''), handler, params.map((x) => x.key)),
    };
}
export const MANAGED_TEMPLATES = [
    handlerTemplate('AWS-Download-File', 'A managed job template for downloading a file.', 'download-file.sh', [
        required('downloadUrl', 'URL of file to download.', 'http://www.example.com/index.html'),
        required('filePath', 'Path on the device where downloaded file is written.', '/path/to/file'),
    ]),
    handlerTemplate('AWS-Install-Application', 'A managed job template for installing one or more applications.', 'install-packages.sh', [PACKAGES('install')]),
    handlerTemplate('AWS-Reboot', 'A managed job template for rebooting the device.', 'reboot.sh', []),
    handlerTemplate('AWS-Remove-Application', 'A managed job template for uninstalling one or more applications.', 'remove-packages.sh', [PACKAGES('uninstall')]),
    handlerTemplate('AWS-Restart-Application', 'A managed job template for restarting one or more system services.', 'restart-services.sh', [SERVICES('restart')]),
    handlerTemplate('AWS-Start-Application', 'A managed job template for starting one or more system services.', 'start-services.sh', [SERVICES('start')]),
    handlerTemplate('AWS-Stop-Application', 'A managed job template for stopping one or more system services.', 'stop-services.sh', [SERVICES('stop')]),
    {
        templateName: 'AWS-Run-Command',
        templateVersion: '1.0',
        description: 'A managed job template for running a command.',
        environments: ['LINUX'],
        documentParameters: [
            required('command', 'A comma separated string of command. Any comma contained in the command itself must be escaped.', 'ls,-l'),
            RUN_AS_USER,
        ],
        document: JSON.stringify({
            version: '1.0',
            steps: [{ action: { name: 'Run-Command', type: 'runCommand', input: { command: p('command') }, runAsUser: p('runAsUser') } }],
        }),
    },
];
/** The version served when a request names none. */
export const DEFAULT_VERSION = '1.0';
export function findManagedTemplate(name, version = DEFAULT_VERSION) {
    return MANAGED_TEMPLATES.find((t) => t.templateName === name && t.templateVersion === version);
}
const PLACEHOLDER = /\$\{aws:iot:parameter:([a-zA-Z0-9_-]+)\}/g;
/**
 * The document with every ${aws:iot:parameter:NAME} replaced. Values are inserted JSON-escaped, so
 * a value can never break the document's structure. An omitted optional parameter becomes "".
 * Returns the problems instead when a parameter is unknown, missing or fails its regex.
 */
export function substitute(t, values) {
    const params = new Map(t.documentParameters.map((d) => [d.key, d]));
    for (const key of Object.keys(values)) {
        if (!params.has(key))
            return { error: `documentParameters has ${key}, which ${t.templateName} does not take; it takes ${[...params.keys()].join(', ')}` };
    }
    for (const d of t.documentParameters) {
        const v = values[d.key];
        if (v === undefined) {
            if (!d.optional)
                return { error: `documentParameters must include ${d.key} for ${t.templateName}` };
            continue;
        }
        if (!new RegExp(`^(?:${d.regex})$`, 'u').test(v))
            return { error: `documentParameters value of ${d.key} does not match the regex ${d.regex}` };
    }
    const document = t.document.replace(PLACEHOLDER, (_m, key) => JSON.stringify(values[key] ?? '').slice(1, -1));
    return { document };
}
//# sourceMappingURL=managed-templates.js.map