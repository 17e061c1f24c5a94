import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
/** Where `npm run build` (vite) puts the dashboard: dist/ui, beside dist/src. */
export const UI_DIR = fileURLToPath(new URL('../../ui/', import.meta.url));
/**
 * Serves the dashboard's static files at /ui/. They hold no data: the page asks for a key pair and
 * signs every call to the API itself, so this adds no unsigned data route.
 */
export async function registerUi(app, log) {
    if (!existsSync(UI_DIR)) {
        log.warn({ dir: UI_DIR }, 'dashboard not built (npm run build): /ui/ is not served');
        return;
    }
    app.get('/ui', (_req, reply) => reply.redirect('/ui/'));
    await app.register(fastifyStatic, {
        root: UI_DIR,
        prefix: '/ui/',
        wildcard: true,
        cacheControl: false,
        index: ['index.html'],
        setHeaders(res, path) {
            // Vite names assets by content hash; the page itself must be re-read to pick up a new build.
            res.setHeader('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
            res.setHeader('content-security-policy', "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'");
            res.setHeader('x-content-type-options', 'nosniff');
        },
    });
}
//# sourceMappingURL=ui.js.map