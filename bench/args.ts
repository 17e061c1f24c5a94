import { basename } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * A bench script's flags: node's parseArgs, plus `--help` (-h), which prints what the script
 * measures and its flags with their defaults, and exits 0 before anything starts.
 */

type Options = NonNullable<ParseArgsConfig['options']>;

export function usage(script: string, about: string, options: Options, help: Record<string, string>, positionals = ''): string {
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
export function helpRequested(about: string, options: Options = {}, help: Record<string, string> = {}, positionals = ''): void {
  const args = process.argv.slice(2);
  if (!args.includes('--help') && !args.includes('-h')) return;
  console.log(usage(process.argv[1] ?? 'bench', about, options, help, positionals));
  process.exit(0);
}

/** parseArgs with --help: `help` says what each flag means. */
export function benchArgs<T extends ParseArgsConfig & { options: Options }>(about: string, config: T, help: { [K in keyof T['options']]: string }): ReturnType<typeof parseArgs<T>> {
  helpRequested(about, config.options, help as Record<string, string>);
  return parseArgs(config);
}
