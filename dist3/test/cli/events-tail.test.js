import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CreateJobCommand, CreateThingCommand, UpdateEventConfigurationsCommand } from '@aws-sdk/client-iot';
import { StartNextPendingJobExecutionCommand, UpdateJobExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import { startServer, thingArn } from '../support/harness.js';
import { awsEnv, startCli } from '../support/cli.js';
import { eventFilters } from '../../src/cli/events.js';
test('events tail filters: all, one type, one job; a bad type is a usage error', () => {
    assert.deepEqual(eventFilters(undefined, undefined), ['$aws/events/#']);
    assert.deepEqual(eventFilters('jobExecution', undefined), ['$aws/events/jobExecution/#']);
    assert.deepEqual(eventFilters(undefined, 'fw-1'), ['$aws/events/job/fw-1/#', '$aws/events/jobExecution/fw-1/#']);
    assert.throws(() => eventFilters('nope', undefined), /--type must be one of/);
    assert.throws(() => eventFilters('thing', 'fw-1'), /--job-id goes with/);
});
test('iot-jobs events tail connects as an application (signed WebSocket) and prints a job’s events as JSON lines', async () => {
    const s = await startServer('sqlite', { mqttPort: 0 });
    const run = randomBytes(3).toString('hex');
    const jobId = `tail-${run}`;
    const thing = `tail-t-${run}`;
    const cli = startCli(['events', 'tail', '--job-id', jobId, '--output', 'json'], awsEnv(s.url));
    try {
        await s.iot.send(new UpdateEventConfigurationsCommand({ eventConfigurations: { JOB: { Enabled: true }, JOB_EXECUTION: { Enabled: true } } }));
        await cli.waitFor(/listening on/, 20_000, 'stderr');
        await s.iot.send(new CreateThingCommand({ thingName: thing }));
        await s.iot.send(new CreateJobCommand({ jobId, targets: [thingArn(thing)], document: '{}' }));
        await s.data.send(new StartNextPendingJobExecutionCommand({ thingName: thing }));
        await s.data.send(new UpdateJobExecutionCommand({ thingName: thing, jobId, status: 'SUCCEEDED' }));
        await cli.waitFor(/"operation":"completed"/, 15_000);
        const lines = cli.stdout().trim().split('\n').map((l) => JSON.parse(l));
        assert.deepEqual(lines.map((l) => l.topic).sort(), [`$aws/events/job/${jobId}/completed`, `$aws/events/jobExecution/${jobId}/succeeded`]);
    }
    finally {
        cli.child.kill('SIGTERM');
        await cli.exited;
        await s.close();
    }
});
//# sourceMappingURL=events-tail.test.js.map