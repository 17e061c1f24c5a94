import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
/** The repository root, from dist/test/support/. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/**
 * The fenced code block right after `<!-- quickstart:NAME -->` in README.md, exactly as written;
 * fails if the marker or its block is missing, so that a README edit cannot drop a tested block.
 */
export function readmeBlock(name) {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const marker = `<!-- quickstart:${name} -->\n`;
    const at = readme.indexOf(marker);
    if (at < 0)
        throw new Error(`README.md has no ${marker.trim()} marker`);
    const m = /^```(\w+)\n([\s\S]*?)^```$/m.exec(readme.slice(at + marker.length));
    if (!m || m.index !== 0)
        throw new Error(`README.md: no fenced code block right after ${marker.trim()}`);
    return { lang: m[1], code: m[2] };
}
//# sourceMappingURL=readme.js.map