import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { BACKENDS, startServer } from '../support/harness.js';
const run = promisify(execFile);
/** Fleet indexing and dynamic groups from Debian's python3-boto3 and /usr/bin/aws (v2). */
const FLOW = String.raw `
import json, os, time, boto3, botocore
kw = dict(endpoint_url=os.environ["ENDPOINT"], region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test",
          config=botocore.config.Config(retries={"max_attempts": 1}))
iot = boto3.client("iot", **kw)
out = {}
def err(fn):
    try:
        fn()
    except botocore.exceptions.ClientError as e:
        return [e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]]
    return None
out["offCreate"] = err(lambda: iot.create_dynamic_thing_group(thingGroupName="fleetindex-py", queryString="attributes.v:1"))
iot.update_indexing_configuration(thingIndexingConfiguration={"thingIndexingMode": "REGISTRY_AND_SHADOW"})
cfg = iot.get_indexing_configuration()
out["mode"] = cfg["thingIndexingConfiguration"]["thingIndexingMode"]
for i in range(5):
    iot.create_thing(thingName=f"fleetindex-py-{i}", attributePayload={"attributes": {"v": str(i % 2)}})
out["search"] = [t["thingName"] for t in iot.search_index(queryString="attributes.v:1")["things"]]
out["shadow"] = [t["thingName"] for t in iot.search_index(queryString="shadow.reported.x:*")["things"]]
out["badQuery"] = err(lambda: iot.search_index(queryString="attributes.v:(1"))
out["stats"] = iot.get_statistics(queryString="*", aggregationField="attributes.v")["statistics"]["sum"]
g = iot.create_dynamic_thing_group(thingGroupName="fleetindex-py", queryString="attributes.v:1")
out["created"] = [g["indexName"], g["queryVersion"]]
for _ in range(400):
    d = iot.describe_thing_group(thingGroupName="fleetindex-py")
    if d["status"] == "ACTIVE":
        break
    time.sleep(0.025)
out["status"] = d["status"]
out["members"] = iot.list_things_in_thing_group(thingGroupName="fleetindex-py")["things"]
out["version"] = iot.update_dynamic_thing_group(thingGroupName="fleetindex-py", thingGroupProperties={"thingGroupDescription": "odd"}, expectedVersion=1)["version"]
out["conflict"] = err(lambda: iot.delete_dynamic_thing_group(thingGroupName="fleetindex-py", expectedVersion=1))
out["staticApi"] = err(lambda: iot.add_thing_to_thing_group(thingGroupName="fleetindex-py", thingName="fleetindex-py-0"))
print(json.dumps(out))
`;
for (const backend of BACKENDS) {
    describe(`fleet indexing from boto3 and the AWS CLI [${backend}]`, () => {
        let s;
        before(async () => {
            s = await startServer(backend);
        });
        after(() => s?.close());
        test('boto3: indexing, search, statistics and a dynamic group', async () => {
            const { stdout } = await run('/usr/bin/python3', ['-c', FLOW], { env: { ...process.env, ENDPOINT: s.url } });
            const out = JSON.parse(stdout.trim().split('\n').pop());
            assert.deepEqual(out.offCreate, ['ResourceNotFoundException', 404]);
            assert.equal(out.mode, 'REGISTRY_AND_SHADOW');
            assert.deepEqual(out.search, ['fleetindex-py-1', 'fleetindex-py-3']);
            assert.deepEqual(out.shadow, []);
            assert.deepEqual(out.badQuery, ['InvalidQueryException', 400]);
            assert.equal(out.stats, 2);
            assert.deepEqual(out.created, ['AWS_Things', '2017-09-30']);
            assert.equal(out.status, 'ACTIVE');
            assert.deepEqual(out.members, ['fleetindex-py-1', 'fleetindex-py-3']);
            assert.equal(out.version, 2);
            assert.deepEqual(out.conflict, ['VersionConflictException', 409]);
            assert.deepEqual(out.staticApi, ['InvalidRequestException', 400]);
        });
        test('the AWS CLI: search-index, dynamic groups, a syntax error', async () => {
            const env = { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' };
            const aws = async (...args) => JSON.parse((await run('/usr/bin/aws', ['--endpoint-url', s.url, '--output', 'json', ...args], { env })).stdout || '{}');
            await aws('iot', 'update-indexing-configuration', '--thing-indexing-configuration', 'thingIndexingMode=REGISTRY');
            await aws('iot', 'create-thing', '--thing-name', 'fleetindex-cli-1', '--attribute-payload', '{"attributes":{"site":"7"}}');
            await aws('iot', 'create-thing', '--thing-name', 'fleetindex-cli-2', '--attribute-payload', '{"attributes":{"site":"10"}}');
            const search = await aws('iot', 'search-index', '--query-string', 'attributes.site > 8');
            assert.deepEqual(search.things.map((t) => t.thingName), ['fleetindex-cli-2']);
            const created = await aws('iot', 'create-dynamic-thing-group', '--thing-group-name', 'fleetindex-cli', '--query-string', 'attributes.site:[1 TO 9]');
            assert.equal(created.queryString, 'attributes.site:[1 TO 9]');
            const updated = await aws('iot', 'update-dynamic-thing-group', '--thing-group-name', 'fleetindex-cli', '--thing-group-properties', '{}', '--query-string', 'attributes.site >= 10');
            assert.equal(updated.version, 2);
            const d = await aws('iot', 'describe-thing-group', '--thing-group-name', 'fleetindex-cli');
            assert.equal(d.queryString, 'attributes.site >= 10');
            assert.ok(['REBUILDING', 'ACTIVE', 'BUILDING'].includes(d.status));
            await assert.rejects(aws('iot', 'search-index', '--query-string', 'attributes.site:[1 TO'), (e) => {
                assert.match(e.stderr, /InvalidQueryException/);
                assert.match(e.stderr, /column 22/);
                return true;
            });
            await aws('iot', 'delete-dynamic-thing-group', '--thing-group-name', 'fleetindex-cli');
            await assert.rejects(aws('iot', 'describe-thing-group', '--thing-group-name', 'fleetindex-cli'), /ResourceNotFoundException/);
        });
    });
}
//# sourceMappingURL=fleet-python-cli.test.js.map