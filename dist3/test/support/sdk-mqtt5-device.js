const env = (k) => process.env[k];
// The test runner loads every file under dist/test/; this one acts only when started as the device.
if (env('THING'))
    await device();
async function device() {
    const { iot, iotjobs, mqtt5 } = await import('aws-iot-device-sdk-v2');
    const thing = env('THING');
    const say = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);
    const fail = (err) => {
        say({ step: 'error', message: err instanceof Error ? err.message : JSON.stringify(err) });
        process.exit(1);
    };
    setTimeout(() => fail(new Error('timed out')), 60_000).unref();
    const connectProperties = { clientId: env('CLIENT_ID') ?? thing, keepAliveIntervalSeconds: 30 };
    let config;
    if (env('CERT')) {
        config = iot.AwsIotMqtt5ClientConfigBuilder.newDirectMqttBuilderWithMtlsFromPath(env('MQTT_HOST'), env('CERT'), env('KEY'))
            .withCertificateAuthorityFromPath(undefined, env('CA'))
            .withPort(Number(env('MQTT_PORT')))
            .withConnectProperties(connectProperties)
            .build();
    }
    else {
        config = { hostName: env('MQTT_HOST'), port: Number(env('MQTT_PORT')), connectProperties };
    }
    const client = new mqtt5.Mqtt5Client(config);
    client.on('error', (e) => fail(e));
    client.on('connectionFailure', (e) => fail(e.error));
    const connected = new Promise((resolve) => client.once('connectionSuccess', resolve));
    client.start();
    const ok = await connected;
    say({ step: 'connected', reasonCode: ok.connack.reasonCode, maximumPacketSize: ok.connack.maximumPacketSize, maximumQos: ok.connack.maximumQos });
    const jobs = iotjobs.IotJobsClientv2.newFromMqtt5(client, { maxRequestResponseSubscriptions: 4, maxStreamingSubscriptions: 2, operationTimeoutInSeconds: 10 });
    const stream = jobs.createNextJobExecutionChangedStream({ thingName: thing });
    const notified = new Promise((resolve) => {
        stream.on('incomingPublish', (e) => {
            const ex = e.message.execution;
            if (ex?.status === 'QUEUED')
                resolve(ex);
        });
    });
    const subscribed = new Promise((resolve, reject) => stream.on('subscriptionStatus', (e) => (e.type === 0 ? resolve() : reject(new Error(`subscription status ${e.type}: ${String(e.error)}`)))));
    stream.open();
    await subscribed.catch(fail);
    say({ step: 'ready' });
    try {
        const ex = await notified;
        say({ step: 'notify-next', jobId: ex.jobId, status: ex.status, jobDocument: ex.jobDocument });
        const started = await jobs.startNextPendingJobExecution({ thingName: thing });
        say({ step: 'started', jobId: started.execution?.jobId, status: started.execution?.status, versionNumber: started.execution?.versionNumber });
        const code = await jobs
            .updateJobExecution({ thingName: thing, jobId: ex.jobId, status: iotjobs.model.JobStatus.SUCCEEDED, expectedVersion: 99 })
            .then(() => 'accepted', (err) => err.modeledError?.code);
        say({ step: 'stale-update', code });
        const updated = await jobs.updateJobExecution({ thingName: thing, jobId: ex.jobId, status: iotjobs.model.JobStatus.SUCCEEDED, expectedVersion: started.execution.versionNumber, includeJobExecutionState: true });
        say({ step: 'updated', executionState: updated.executionState });
    }
    catch (err) {
        fail(err);
    }
    stream.close();
    jobs.close();
    client.stop();
    say({ step: 'done' });
    process.exit(0);
}
export {};
//# sourceMappingURL=sdk-mqtt5-device.js.map