// A device that works its jobs over MQTT, like firmware would: it asks for its next job, reports
// IN_PROGRESS with statusDetails, "applies" the job document, reports SUCCEEDED, and waits for
// notify-next to say there is more.
//
//   node examples/device.mjs [THING_NAME] [MQTT_URL]      (defaults: dev-1, mqtt://127.0.0.1:7021)
//
// The thing must exist (aws iot create-thing --thing-name dev-1 ...). Needs the mqtt package.
import mqtt from 'mqtt';

const thing = process.argv[2] ?? 'dev-1';
const url = process.argv[3] ?? 'mqtt://127.0.0.1:7021';
const base = `$aws/things/${thing}/jobs`;

// The client id must be the thing name: the broker lets a client use only its own thing's topics.
const device = await mqtt.connectAsync(url, { clientId: thing, clean: true });
await device.subscribeAsync([`${base}/notify-next`, `${base}/start-next/accepted`, `${base}/start-next/rejected`, `${base}/+/update/accepted`, `${base}/+/update/rejected`]);

let busy = false;
const startNext = () => {
  busy = true;
  device.publish(`${base}/start-next`, JSON.stringify({ statusDetails: { step: 'downloading' } }));
};

device.on('message', async (topic, payload) => {
  const msg = JSON.parse(payload.toString());
  if (topic === `${base}/notify-next`) {
    if (msg.execution && !busy) startNext();
  } else if (topic === `${base}/start-next/accepted`) {
    const job = msg.execution;
    if (!job) {
      busy = false;
      console.log(`${thing}: no job pending`);
      return;
    }
    console.log(`${thing}: ${job.jobId} IN_PROGRESS`, JSON.stringify(job.jobDocument));
    await new Promise((r) => setTimeout(r, 200)); // the work
    device.publish(`${base}/${job.jobId}/update`, JSON.stringify({ status: 'SUCCEEDED', statusDetails: { step: 'done' } }));
  } else if (topic.endsWith('/update/accepted')) {
    const jobId = topic.slice(base.length + 1, -'/update/accepted'.length);
    console.log(`${thing}: ${jobId} SUCCEEDED`);
    startNext();
  } else {
    console.error(`${thing}: rejected on ${topic}: ${msg.code} ${msg.message}`);
    busy = false;
  }
});

console.log(`${thing}: connected to ${url}`);
startNext();
process.on('SIGINT', () => device.end(false, {}, () => process.exit(0)));
process.on('SIGTERM', () => device.end(false, {}, () => process.exit(0)));
