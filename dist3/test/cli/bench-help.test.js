import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
/**
 * Every bench script answers --help with its usage and flags, and exits 0 before it starts
 * anything (issue 27 §4). Scripts are the bench files no other bench file imports, so a new one is
 * covered without a line here; the flags its header comment shows must all be in its usage.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const benchSrc = join(root, 'bench');
const benchDist = join(root, 'dist', 'bench');
const sources = readdirSync(benchSrc).filter((f) => f.endsWith('.ts'));
const imported = new Set(sources.flatMap((f) => [...readFileSync(join(benchSrc, f), 'utf8').matchAll(/from '\.\/([\w-]+)\.js'/g)].map((m) => `${m[1]}.ts`)));
const scripts = sources.filter((f) => !imported.has(f));
test('the bench scripts are found, and the helpers are not among them', () => {
    assert.ok(scripts.length >= 8, `scripts: ${scripts.join(', ')}`);
    assert.ok(imported.has('support.ts') && imported.has('args.ts'));
});
for (const file of scripts) {
    const name = file.replace(/\.ts$/, '');
    test(`bench/${file} --help prints its usage and flags and exits 0`, () => {
        const r = spawnSync(process.execPath, [join(benchDist, `${name}.js`), '--help'], { encoding: 'utf8', timeout: 60_000 });
        assert.equal(r.status, 0, `exit ${r.status}: ${r.stderr}`);
        assert.match(r.stdout, new RegExp(`^Usage: node dist/bench/${name}\\.js`));
        assert.match(r.stdout, /--help, -h/);
        // Each flag listed has a line saying what it is.
        for (const m of r.stdout.matchAll(/^ {2}--([a-z-]+).*\n {6}(.*)$/gm))
            assert.ok(m[2].trim().length > 0, `--${m[1]} has no description`);
        // The flags the script's own comment shows in its examples are all in the usage.
        const header = /^\/\*\*[^]*?\*\//m.exec(readFileSync(join(benchSrc, file), 'utf8'))?.[0] ?? '';
        for (const [, flag] of header.matchAll(/ --([a-z][a-z-]*)/g))
            assert.match(r.stdout, new RegExp(`^ {2}--${flag}\\b`, 'm'), `--${flag} is not in the usage of ${file}`);
        // An unknown flag is still an error, as before.
        if (r.stdout.includes('[flags]')) {
            const bad = spawnSync(process.execPath, [join(benchDist, `${name}.js`), '--no-such-flag'], { encoding: 'utf8', timeout: 60_000 });
            assert.notEqual(bad.status, 0);
            assert.match(bad.stderr, /Unknown option '--no-such-flag'/);
        }
    });
}
//# sourceMappingURL=bench-help.test.js.map