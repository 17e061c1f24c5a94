#!/usr/bin/env python3
"""A device that works its jobs over MQTT with paho-mqtt (1.6 as in Debian 12, or 2.x).

    python3 examples/device.py [THING_NAME] [HOST] [PORT]     (defaults: dev-1, 127.0.0.1, 7021)

It asks for its next job, reports IN_PROGRESS with statusDetails, "applies" the job document,
reports SUCCEEDED, and waits for notify-next to say there is more. The thing must exist.
"""
import json
import signal
import sys
import time

import paho.mqtt.client as mqtt

thing = sys.argv[1] if len(sys.argv) > 1 else "dev-1"
host = sys.argv[2] if len(sys.argv) > 2 else "127.0.0.1"
port = int(sys.argv[3]) if len(sys.argv) > 3 else 7021
base = f"$aws/things/{thing}/jobs"
busy = False

# The client id must be the thing name: the broker lets a client use only its own thing's topics.
try:
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=thing)  # paho 2.x
except AttributeError:
    client = mqtt.Client(client_id=thing)  # paho 1.x


def start_next():
    global busy
    busy = True
    client.publish(f"{base}/start-next", json.dumps({"statusDetails": {"step": "downloading"}}))


def on_connect(client, userdata, flags, *rest):
    for suffix in ["notify-next", "start-next/accepted", "start-next/rejected", "+/update/accepted", "+/update/rejected"]:
        client.subscribe(f"{base}/{suffix}")
    print(f"{thing}: connected to {host}:{port}", flush=True)
    start_next()


def on_message(client, userdata, message):
    global busy
    topic = message.topic
    msg = json.loads(message.payload)
    if topic == f"{base}/notify-next":
        if msg.get("execution") and not busy:
            start_next()
    elif topic == f"{base}/start-next/accepted":
        job = msg.get("execution")
        if not job:
            busy = False
            print(f"{thing}: no job pending", flush=True)
            return
        print(f"{thing}: {job['jobId']} IN_PROGRESS {json.dumps(job.get('jobDocument'))}", flush=True)
        time.sleep(0.2)  # the work
        client.publish(f"{base}/{job['jobId']}/update", json.dumps({"status": "SUCCEEDED", "statusDetails": {"step": "done"}}))
    elif topic.endswith("/update/accepted"):
        job_id = topic[len(base) + 1 : -len("/update/accepted")]
        print(f"{thing}: {job_id} SUCCEEDED", flush=True)
        start_next()
    else:
        print(f"{thing}: rejected on {topic}: {msg.get('code')} {msg.get('message')}", file=sys.stderr, flush=True)
        busy = False


client.on_connect = on_connect
client.on_message = on_message
signal.signal(signal.SIGTERM, lambda *_: client.disconnect())
client.connect(host, port)
try:
    client.loop_forever()
except KeyboardInterrupt:
    client.disconnect()
