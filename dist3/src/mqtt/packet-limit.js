/**
 * Follows MQTT framing on a raw byte stream and reports a packet whose declared size is over
 * `max`, before its body arrives, so one client cannot make the broker buffer a 256 MB packet.
 */
export function packetLimit(max) {
    let inLength = false;
    let length = 0;
    let multiplier = 1;
    let skip = 0;
    return (chunk) => {
        let i = 0;
        while (i < chunk.length) {
            if (skip > 0) {
                const n = Math.min(skip, chunk.length - i);
                skip -= n;
                i += n;
                continue;
            }
            const b = chunk[i++];
            if (!inLength) {
                inLength = true;
                length = 0;
                multiplier = 1;
                continue;
            }
            length += (b & 0x7f) * multiplier;
            multiplier *= 128;
            if (b & 0x80) {
                if (multiplier > 128 ** 4)
                    return false;
                continue;
            }
            if (length > max)
                return false;
            skip = length;
            inLength = false;
        }
        return true;
    };
}
//# sourceMappingURL=packet-limit.js.map