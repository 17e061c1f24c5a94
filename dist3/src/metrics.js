import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { fleetStats } from './store/stats.js';
/** Process-wide metrics (event-loop lag, CPU, memory, GC): collected once per process, however many apps it runs. */
let processRegistry;
function processMetrics() {
    if (!processRegistry) {
        processRegistry = new Registry();
        collectDefaultMetrics({ register: processRegistry });
    }
    return processRegistry;
}
const WORK_KINDS = ['rollout', 'cancel', 'sweep', 'delete'];
const JOB_STATUSES = ['IN_PROGRESS', 'CANCELED', 'COMPLETED', 'DELETION_IN_PROGRESS', 'SCHEDULED'];
/**
 * One node's Prometheus metrics (prom-client). Labels are operation names, status codes and
 * message kinds, never a job or thing id, so that the number of series stays small.
 */
export class Metrics {
    registry = new Registry();
    httpRequests = new Counter({
        name: 'iot_jobs_http_requests_total',
        help: 'HTTP requests answered, by AWS operation (or health, metrics, none) and status code',
        labelNames: ['operation', 'status'],
        registers: [this.registry],
    });
    httpDuration = new Histogram({
        name: 'iot_jobs_http_request_duration_seconds',
        help: 'Time from request to response, by AWS operation and status code',
        labelNames: ['operation', 'status'],
        buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
        registers: [this.registry],
    });
    mqttConnections = new Gauge({
        name: 'iot_jobs_mqtt_connections',
        help: 'Devices connected to the embedded MQTT broker now',
        registers: [this.registry],
    });
    mqttConnectionsTotal = new Counter({
        name: 'iot_jobs_mqtt_connections_total',
        help: 'Device connections accepted by the embedded MQTT broker',
        registers: [this.registry],
    });
    mqttIn = new Counter({
        name: 'iot_jobs_mqtt_messages_received_total',
        help: 'Device requests received over MQTT, by kind (the device API, or invalid for a topic that names none)',
        labelNames: ['kind'],
        registers: [this.registry],
    });
    mqttOut = new Counter({
        name: 'iot_jobs_mqtt_messages_sent_total',
        help: 'MQTT messages sent to devices, by kind (accepted, rejected, notify, notify-next)',
        labelNames: ['kind'],
        registers: [this.registry],
    });
    eventsPublished = new Counter({
        name: 'iot_jobs_events_published_total',
        help: 'Events published to $aws/events/... topics, by event type',
        labelNames: ['type'],
        registers: [this.registry],
    });
    throttled = new Counter({
        name: 'iot_jobs_throttled_requests_total',
        help: 'Requests refused with ThrottlingException (HTTP) or RequestThrottled (MQTT) by --quotas, by AWS operation and the bucket that was empty',
        labelNames: ['operation', 'bucket'],
        registers: [this.registry],
    });
    constructor(store) {
        // The data gauges are read at scrape time, all from one fleetStats call.
        let pending;
        const stats = () => (pending ??= fleetStats(store.db).finally(() => setImmediate(() => (pending = undefined))));
        const registers = [this.registry];
        new Gauge({
            name: 'iot_jobs_job_executions',
            help: "Job executions by status, from the jobs' kept counters",
            labelNames: ['status'],
            registers,
            async collect() {
                for (const [status, n] of Object.entries((await stats()).executions))
                    this.set({ status }, n);
            },
        });
        new Gauge({
            name: 'iot_jobs_jobs',
            help: 'Jobs by status',
            labelNames: ['status'],
            registers,
            async collect() {
                const jobs = (await stats()).jobs;
                for (const status of JOB_STATUSES)
                    this.set({ status }, jobs[status] ?? 0);
            },
        });
        new Gauge({
            name: 'iot_jobs_worker_backlog_jobs',
            help: 'Jobs with background work owed, by kind (rollout, cancel, sweep, delete)',
            labelNames: ['kind'],
            registers,
            async collect() {
                const backlog = (await stats()).backlog;
                for (const kind of WORK_KINDS)
                    this.set({ kind }, backlog[kind] ?? 0);
            },
        });
        new Gauge({
            name: 'iot_jobs_deletions_in_progress',
            help: 'Jobs in DELETION_IN_PROGRESS',
            registers,
            async collect() {
                this.set((await stats()).jobs.DELETION_IN_PROGRESS ?? 0);
            },
        });
        new Gauge({
            name: 'iot_jobs_deletion_executions_left',
            help: 'Job executions the deletions in progress have still to remove',
            registers,
            async collect() {
                this.set((await stats()).deletionExecutionsLeft);
            },
        });
        processMetrics();
    }
    contentType = this.registry.contentType;
    /** The Prometheus text exposition: this node's metrics, then the process's. */
    async text() {
        return `${await this.registry.metrics()}\n${await processMetrics().metrics()}`;
    }
}
/** The kind label of an MQTT message sent to a device, from its topic. */
export function sentKind(topic) {
    // Thing names have no '/': the last level is the kind (notify topics may carry -namespace-{id}).
    const last = topic.slice(topic.lastIndexOf('/') + 1);
    if (last === 'accepted' || last === 'rejected')
        return last;
    if (last.startsWith('notify-next'))
        return 'notify-next';
    if (last.startsWith('notify'))
        return 'notify';
    return 'other';
}
//# sourceMappingURL=metrics.js.map