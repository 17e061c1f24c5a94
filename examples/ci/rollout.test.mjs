// The test the CI example runs: a job on a group of things, every device finishes it, the job
// completes. It talks to the iot-jobs that run.sh started (IOT_JOBS_ENDPOINT).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IoTClient, CreateThingCommand, CreateThingGroupCommand, AddThingToThingGroupCommand, CreateJobCommand, DescribeJobCommand } from '@aws-sdk/client-iot';
import { IoTJobsDataPlaneClient, StartNextPendingJobExecutionCommand, UpdateJobExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';

// Credentials and region come from the environment, as in any AWS client.
const config = { endpoint: process.env.IOT_JOBS_ENDPOINT ?? 'http://127.0.0.1:7020' };
const iot = new IoTClient(config);
const jobs = new IoTJobsDataPlaneClient(config);

test('a rollout to a group completes when every device succeeds', async () => {
  const things = ['ci-dev-1', 'ci-dev-2', 'ci-dev-3'];
  const { thingGroupArn } = await iot.send(new CreateThingGroupCommand({ thingGroupName: 'ci-fleet' }));
  for (const thingName of things) {
    await iot.send(new CreateThingCommand({ thingName }));
    await iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'ci-fleet', thingName }));
  }
  await iot.send(new CreateJobCommand({ jobId: 'ci-fw-2', targets: [thingGroupArn], document: JSON.stringify({ version: '2.0' }) }));

  for (const thingName of things) {
    // The group's fan-out runs in the background: a device may have to ask again.
    let execution;
    for (let i = 0; i < 100 && !execution; i++) {
      ({ execution } = await jobs.send(new StartNextPendingJobExecutionCommand({ thingName })));
      if (!execution) await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(execution?.jobId, 'ci-fw-2');
    await jobs.send(new UpdateJobExecutionCommand({ thingName, jobId: 'ci-fw-2', status: 'SUCCEEDED' }));
  }

  const { job } = await iot.send(new DescribeJobCommand({ jobId: 'ci-fw-2' }));
  assert.equal(job.status, 'COMPLETED');
  assert.equal(job.jobProcessDetails.numberOfSucceededThings, 3);
});
