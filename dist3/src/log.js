import { pino } from 'pino';
import pretty from 'pino-pretty';
/** The process's one logger: pino, rendered by pino-pretty for a person at a terminal. */
export function createLogger(o) {
    if (o.format !== 'pretty')
        return o.destination ? pino({ level: o.level }, o.destination) : pino({ level: o.level });
    // Synchronous, in this thread: the last lines before an exit (a failed start) are not lost.
    // One line per event on a terminal too: the fields follow the message.
    const stream = pretty({
        sync: true,
        singleLine: true,
        colorize: o.destination === undefined && process.stdout.isTTY === true,
        translateTime: 'SYS:HH:MM:ss.l',
        ignore: 'pid,hostname',
        ...(o.destination ? { destination: o.destination } : {}),
    });
    return pino({ level: o.level }, stream);
}
//# sourceMappingURL=log.js.map