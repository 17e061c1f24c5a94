import { basename } from 'node:path';
import { parseArgs } from 'node:util';
export function usage(script, about, options, help, positionals = '') {
    const lines = [`Usage: node dist/bench/${basename(script).replace(/\.ts$/, '.js')}${Object.keys(options).length ? ' [flags]' : ''}${positionals ? ` ${positionals}` : ''}`, '', about.trim(), '', 'Flags:'];
    for (const [name, o] of Object.entries(options)) {
        const value = o.type === 'string' ? ` <${name}>` : '';
        const dflt = o.default === undefined ? '' : ` (default ${String(o.default)})`;
        lines.push(`  --${name}${value}${dflt}`, `      ${help[name] ?? ''}`);
    }
    lines.push('  --help, -h', '      this text');
    return lines.join('\n');
}
/** Prints the usage and exits when --help or -h is among the arguments. */
export function helpRequested(about, options = {}, help = {}, positionals = '') {
    const args = process.argv.slice(2);
    if (!args.includes('--help') && !args.includes('-h'))
        return;
    console.log(usage(process.argv[1] ?? 'bench', about, options, help, positionals));
    process.exit(0);
}
/** parseArgs with --help: `help` says what each flag means. */
export function benchArgs(about, config, help) {
    helpRequested(about, config.options, help);
    return parseArgs(config);
}
//# sourceMappingURL=args.js.map