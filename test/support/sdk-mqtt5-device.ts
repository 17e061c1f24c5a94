/**
 * A device written as AWS's current samples write one: aws-iot-device-sdk-v2's Mqtt5Client and
 * IotJobsClientv2 (request-response plus the streaming notify-next). Run as its own process,
 * because aws-crt's native streaming operations can keep Node from exiting: it prints one JSON
 * line per step and exits.
 *   THING, MQTT_HOST, MQTT_PORT; with CERT, KEY, CA: mutual TLS as in AWS's samples; CLIENT_ID
 *   (default: the thing name), e.g. test-<uuid> as AWS's jobs sample connects.
 * It prints {step:'ready'} once subscribed, waits for a notify-next with a QUEUED job, then does
 * start-next, an update with a stale expectedVersion (expects VersionMismatch) and a good one.
 */
import type * as Sdk from 'aws-iot-device-sdk-v2';

const env = (k: string) => process.env[k];

// The test runner loads every file under dist/test/; this one acts only when started as the device.
if (env('THING')) await device();

async function device(): Promise<void> {
  const { iot, iotjobs, mqtt5 } = await import('aws-iot-device-sdk-v2');
  const thing = env('THING')!;
  const say = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);
  const fail = (err: unknown) => {
    say({ step: 'error', message: err instanceof Error ? err.message : JSON.stringify(err) });
    process.exit(1);
  };
  setTimeout(() => fail(new Error('timed out')), 60_000).unref();

  const connectProperties = { clientId: env('CLIENT_ID') ?? thing, keepAliveIntervalSeconds: 30 };
  let config: Sdk.mqtt5.Mqtt5ClientConfig;
  if (env('CERT')) {
    config = iot.AwsIotMqtt5ClientConfigBuilder.newDirectMqttBuilderWithMtlsFromPath(env('MQTT_HOST')!, env('CERT')!, env('KEY')!)
      .withCertificateAuthorityFromPath(undefined, env('CA'))
      .withPort(Number(env('MQTT_PORT')))
      .withConnectProperties(connectProperties)
      .build();
  } else {
    config = { hostName: env('MQTT_HOST')!, port: Number(env('MQTT_PORT')), connectProperties };
  }
  const client = new mqtt5.Mqtt5Client(config);
  client.on('error', (e) => fail(e));
  client.on('connectionFailure', (e) => fail(e.error));
  const connected = new Promise<Sdk.mqtt5.ConnectionSuccessEvent>((resolve) => client.once('connectionSuccess', resolve));
  client.start();
  const ok = await connected;
  say({ step: 'connected', reasonCode: ok.connack.reasonCode, maximumPacketSize: ok.connack.maximumPacketSize, maximumQos: ok.connack.maximumQos });

  const jobs = iotjobs.IotJobsClientv2.newFromMqtt5(client, { maxRequestResponseSubscriptions: 4, maxStreamingSubscriptions: 2, operationTimeoutInSeconds: 10 });
  const stream = jobs.createNextJobExecutionChangedStream({ thingName: thing });
  const notified = new Promise<Sdk.iotjobs.model.JobExecutionData>((resolve) => {
    stream.on('incomingPublish', (e) => {
      const ex = e.message.execution;
      if (ex?.status === 'QUEUED') resolve(ex);
    });
  });
  const subscribed = new Promise<void>((resolve, reject) =>
    stream.on('subscriptionStatus', (e) => (e.type === 0 ? resolve() : reject(new Error(`subscription status ${e.type}: ${String(e.error)}`)))),
  );
  stream.open();
  await subscribed.catch(fail);
  say({ step: 'ready' });

  try {
    const ex = await notified;
    say({ step: 'notify-next', jobId: ex.jobId, status: ex.status, jobDocument: ex.jobDocument });
    const started = await jobs.startNextPendingJobExecution({ thingName: thing });
    say({ step: 'started', jobId: started.execution?.jobId, status: started.execution?.status, versionNumber: started.execution?.versionNumber });
    const code = await jobs
      .updateJobExecution({ thingName: thing, jobId: ex.jobId!, status: iotjobs.model.JobStatus.SUCCEEDED, expectedVersion: 99 })
      .then(
        () => 'accepted',
        (err: { modeledError?: { code?: string; clientToken?: string } }) => err.modeledError?.code,
      );
    say({ step: 'stale-update', code });
    const updated = await jobs.updateJobExecution({ thingName: thing, jobId: ex.jobId!, status: iotjobs.model.JobStatus.SUCCEEDED, expectedVersion: started.execution!.versionNumber!, includeJobExecutionState: true });
    say({ step: 'updated', executionState: updated.executionState });
  } catch (err) {
    fail(err);
  }
  stream.close();
  jobs.close();
  client.stop();
  say({ step: 'done' });
  process.exit(0);
}
