import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CreateCommandCommand, CreateThingCommand } from '@aws-sdk/client-iot';
import { StartCommandExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import { ACCOUNT, BACKENDS, REGION, startServer, thingArn, type TestServer } from '../support/harness.js';
import { commandExecutionEvent, getCommandExecution, setCommandExecutionStatus } from '../../src/store/command-executions.js';

// The one place of command status changes: a conditional write that leaves rows that moved on alone.
for (const backend of BACKENDS)
  describe(`setCommandExecutionStatus [${backend}]`, () => {
    let s: TestServer;
    before(async () => {
      s = await startServer(backend);
    });
    after(async () => s.close());

    test('a stale version or status changes nothing (DataConflict for a device); the change carries the event members', async () => {
      const id = `commands-st-${randomBytes(3).toString('hex')}`;
      await s.iot.send(new CreateThingCommand({ thingName: id }));
      await s.iot.send(new CreateCommandCommand({ commandId: id, payload: { content: new TextEncoder().encode('{}'), contentType: 'application/json' } }));
      const { executionId } = await s.data.send(new StartCommandExecutionCommand({ commandArn: `arn:aws:iot:${REGION}:${ACCOUNT}:command/${id}`, targetArn: thingArn(id) }));
      const now = s.app.clock.now();
      const change = { status: 'IN_PROGRESS' as const, by: 'device' as const };
      assert.deepEqual(await s.app.store.run((tx) => setCommandExecutionStatus(tx, [executionId!], { statuses: ['CREATED'], version: 7 }, change, now)), []);
      assert.deepEqual(await s.app.store.run((tx) => setCommandExecutionStatus(tx, [executionId!], { statuses: ['IN_PROGRESS'] }, change, now)), []);
      const [row] = await s.app.store.run((tx) =>
        setCommandExecutionStatus(tx, [executionId!], { statuses: ['CREATED'], version: 1 }, { status: 'FAILED', by: 'device', reasonCode: 'E1', reasonDescription: 'broken' }, now),
      );
      assert.equal(row!.version, 2);
      const stored = await getCommandExecution(s.app.store.db, executionId!);
      assert.deepEqual([stored!.status, stored!.completed_at, stored!.timed_out_by_service], ['FAILED', now, 0]);
      const event = commandExecutionEvent(row!, `arn:aws:iot:${REGION}:${ACCOUNT}:command/${id}`, now);
      assert.equal(event.topic, `$aws/events/commandExecution/${id}/FAILED`);
      assert.deepEqual(event.payload, {
        executionId,
        status: 'FAILED',
        statusReason: { reasonCode: 'E1', reasonDescription: 'broken' },
        eventType: 'COMMAND_EXECUTION',
        commandArn: `arn:aws:iot:${REGION}:${ACCOUNT}:command/${id}`,
        targetArn: thingArn(id),
        timestamp: now,
      });
    });
  });
