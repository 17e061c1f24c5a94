/**
 * IP addresses and CIDR blocks for IpAddress/NotIpAddress, as numbers: a prefix test is one shift
 * and compare (node:net's BlockList builds a SocketAddress per check, several times the cost).
 * IPv4-mapped IPv6 addresses (::ffff:1.2.3.4, as Node reports IPv4 clients on a dual-stack socket)
 * are their IPv4 address.
 */
import { isIPv6 } from 'node:net';
const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
function v4(s) {
    const m = V4.exec(s);
    if (!m)
        return undefined;
    let n = 0n;
    for (let i = 1; i <= 4; i++) {
        const b = Number(m[i]);
        if (b > 255)
            return undefined;
        n = (n << 8n) | BigInt(b);
    }
    return n;
}
function v6(s) {
    if (!isIPv6(s))
        return undefined;
    let text = s.split('%', 1)[0];
    // A trailing dotted quad is the last two groups.
    const dot = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
    if (dot) {
        const n = v4(dot[1]);
        if (n === undefined)
            return undefined;
        text = text.slice(0, dot.index) + `${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
    }
    const [head, tail] = text.split('::');
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
    if (groups.length !== 8)
        return undefined;
    return groups.reduce((n, g) => (n << 16n) | BigInt(parseInt(g, 16)), 0n);
}
export function parseIp(text) {
    const s = text.trim();
    const four = v4(s);
    if (four !== undefined)
        return { v6: false, n: four };
    const six = v6(s);
    if (six === undefined)
        return undefined;
    // ::ffff:a.b.c.d
    if (six >> 32n === 0xffffn)
        return { v6: false, n: six & 0xffffffffn };
    return { v6: true, n: six };
}
/** `10.0.0.0/8`, `2001:db8::/32`, or one address (a /32 or /128). */
export function parseCidr(text) {
    const [addr, bits, extra] = text.trim().split('/');
    if (extra !== undefined || addr === undefined)
        return undefined;
    const ip = parseIp(addr);
    if (!ip)
        return undefined;
    const width = ip.v6 ? 128 : 32;
    const prefix = bits === undefined ? width : /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
    if (!(prefix >= 0 && prefix <= width))
        return undefined;
    const shift = BigInt(width - prefix);
    return { v6: ip.v6, net: ip.n >> shift, shift };
}
export const inCidr = (ip, c) => ip.v6 === c.v6 && ip.n >> c.shift === c.net;
//# sourceMappingURL=ip.js.map