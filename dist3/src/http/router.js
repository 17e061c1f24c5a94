import { models } from '../model/index.js';
const tables = new Map();
function compile(service) {
    for (const [operation, op] of Object.entries(models[service].operations)) {
        const path = op.http.requestUri.split('?')[0];
        const segments = path
            .split('/')
            .slice(1)
            .map((s) => {
            const m = /^\{([^}+]+)(\+?)\}$/.exec(s);
            return m ? { label: m[1], greedy: m[2] === '+' } : { literal: s };
        });
        const key = `${service} ${op.http.method}`;
        const list = tables.get(key) ?? [];
        list.push({ operation, segments, literals: segments.filter((s) => 'literal' in s).length });
        // Literal segments win over labels: PUT /things/{thingName}/jobs/$next is StartNext.
        list.sort((a, b) => b.literals - a.literals);
        tables.set(key, list);
    }
}
compile('iot');
compile('iot-jobs-data');
function decode(segment) {
    try {
        return decodeURIComponent(segment);
    }
    catch {
        return undefined;
    }
}
function tryRoute(route, parts) {
    const labels = {};
    const segs = route.segments;
    for (let i = 0; i < segs.length; i++) {
        const seg = segs[i];
        if ('literal' in seg) {
            if (parts[i] !== seg.literal && decode(parts[i] ?? '') !== seg.literal)
                return undefined;
            continue;
        }
        if (seg.greedy) {
            const rest = parts.slice(i).map(decode);
            if (rest.length === 0 || rest.some((r) => r === undefined))
                return undefined;
            labels[seg.label] = rest.join('/');
            return labels;
        }
        const v = parts[i] === undefined ? undefined : decode(parts[i]);
        if (v === undefined || v === '')
            return undefined;
        labels[seg.label] = v;
    }
    return parts.length === segs.length ? labels : undefined;
}
/** The operation for a method and raw path (no query string), with percent-decoded labels. */
export function matchOperation(service, method, rawPath) {
    const routes = tables.get(`${service} ${method}`);
    if (!routes)
        return undefined;
    const parts = rawPath.split('/').slice(1);
    if (parts.length > 1 && parts[parts.length - 1] === '')
        parts.pop();
    for (const route of routes) {
        const labels = tryRoute(route, parts);
        if (labels)
            return { operation: route.operation, labels };
    }
    return undefined;
}
//# sourceMappingURL=router.js.map