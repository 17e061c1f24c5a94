import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddThingToThingGroupCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  CreateThingTypeCommand,
  DescribeIndexCommand,
  GetBucketsAggregationCommand,
  GetCardinalityCommand,
  GetIndexingConfigurationCommand,
  GetStatisticsCommand,
  ListIndicesCommand,
  SearchIndexCommand,
  UpdateIndexingConfigurationCommand,
  type IoTClient,
} from '@aws-sdk/client-iot';
import { BACKENDS, startServer, type TestServer } from '../support/harness.js';
import { rejectsWith } from '../support/assert.js';
import { sql } from 'kysely';
import { withThingRows } from '../../src/store/fleet-sql.js';
import { compileQuery, readIndexingConfig } from '../../src/operations/fleet-index.js';

/**
 * The query language against a known fleet: every operator, with the matching things worked out
 * by hand from the fleet below, through SearchIndex over HTTP on both backends.
 */
const P = 'fleetindex-';
const FLEET: { name: string; type?: string; attributes: Record<string, string>; groups: string[] }[] = [
  { name: 'a1', type: 'Sensor', attributes: { model: 'X2', firmware: '2.3', serial: 'abcd', site: '7' }, groups: ['g-red'] },
  { name: 'a2', type: 'Sensor', attributes: { model: 'x2', firmware: '2.10', serial: 'abce', site: '10' }, groups: ['g-blue'] },
  { name: 'b1', type: 'Camera', attributes: { model: 'X3', firmware: '3.0', serial: 'abcf', site: '9' }, groups: ['g-red', 'g-blue'] },
  { name: 'b2', attributes: { model: 'legacy', firmware: '1.0' }, groups: [] },
  { name: 'c1', type: 'Camera', attributes: {}, groups: ['g-green'] },
];

/** [query, the short names of the things it matches]. */
const TABLE: [string, string[]][] = [
  ['attributes.model:X2', ['a1', 'a2']], // values case-insensitive
  ['attributes.model:"x2"', ['a1', 'a2']], // a phrase
  ['attributes.model:x2 AND attributes.firmware:2.3', ['a1']],
  ['thingTypeName:sensor attributes.site:10', ['a2']], // AND by default
  ['attributes.model:x2 OR thingTypeName:camera', ['a1', 'a2', 'b1', 'c1']],
  ['attributes.model:x2 || attributes.model:legacy', ['a1', 'a2', 'b2']],
  ['attributes.model:x2 && attributes.site:7', ['a1']],
  ['attributes.site<10', ['a1', 'b1']], // numeric: 7 and 9, not "10" (string order would put "10" first)
  ['attributes.site<=10', ['a1', 'a2', 'b1']],
  ['attributes.site>9', ['a2']],
  ['attributes.site >= 9', ['a2', 'b1']],
  ['attributes.site:[7 TO 9]', ['a1', 'b1']],
  ['attributes.site:{7 TO 10]', ['a2', 'b1']],
  ['attributes.site:{7 TO 10}', ['b1']],
  ['attributes.site:[9 TO *]', ['a2', 'b1']],
  ['attributes.firmware:[2 TO 3}', ['a1', 'a2']], // 2.3 and 2.10 (= 2.1) as numbers; 3.0 excluded
  ['attributes.model:X2 attributes.firmware<2.4', ['a1', 'a2']], // the example: 2.10 is the number 2.1
  ['attributes.serial:["abcd" TO "abce"]', ['a1', 'a2']], // string range
  ['attributes.serial:{abcd TO abcf}', ['a2']],
  ['attributes.serial:[ABCE TO *]', ['a2', 'b1']],
  ['attributes.model>w', ['a1', 'a2', 'b1']], // strings compare lower-cased, byte by byte
  [`thingName:${P}a*`, ['a1', 'a2']],
  [`thingName:${P}?1`, ['a1', 'b1', 'c1']],
  ['thingName:*1', ['a1', 'b1', 'c1']], // one leading wildcard is allowed
  ['thingName:*INDEX-B*', ['b1', 'b2']],
  ['attributes.model:x*', ['a1', 'a2', 'b1']],
  ['attributes.model:l*y', ['b2']],
  ['attributes.serial:abc?', ['a1', 'a2', 'b1']],
  ['attributes.model:*', ['a1', 'a2', 'b1', 'b2']], // exists
  ['thingTypeName:*', ['a1', 'a2', 'b1', 'c1']],
  ['thingTypeName:camera', ['b1', 'c1']],
  ['thingGroupNames:g-red', ['a1', 'b1']],
  ['thingGroupNames:g-*', ['a1', 'a2', 'b1', 'c1']],
  ['NOT attributes.model:legacy', ['a1', 'a2', 'b1', 'c1']], // c1 lacks the field and matches
  ['-attributes.model:legacy', ['a1', 'a2', 'b1', 'c1']],
  ['thingTypeName:camera -attributes.model:*', ['c1']],
  ['(attributes.model:x2 OR attributes.model:x3) AND NOT thingGroupNames:g-blue', ['a1']],
  ['attributes.model:(x2 OR legacy)', ['a1', 'a2', 'b2']], // field grouping
  [`thingName:(${P}a* AND -${P}a2)`, ['a1']],
  ['thingGroupNames:(g-red AND g-blue)', ['b1']],
  ['legacy', ['b2']], // an unqualified term searches every field
  ['sensor', ['a1', 'a2']],
  ['*', ['a1', 'a2', 'b1', 'b2', 'c1']],
  ['attributes.Model:x2', []], // field names are case-sensitive
  ['attributes.missing:foo', []],
  ['shadow.reported.location:*', []], // no shadows in iot-jobs
  ['connectivity.connected:false', ['a1', 'a2', 'b1', 'b2', 'c1']], // never connected
  ['connectivity.connected:true', []],
  [`attributes.model:x2 AND thingName:${P}a1 AND attributes.site:7 AND attributes.serial:abcd AND attributes.firmware:2.3 AND thingTypeName:sensor AND thingGroupNames:g-red AND a AND NOT b AND NOT c AND NOT d AND NOT e`, []],
];

const ERRORS: [string, RegExp][] = [
  ['attributes.model:', /column 18/],
  ['(attributes.model:x2 OR attributes.site:7', /column 42/],
  ['attributes.site:[1 TO', /column 22/],
  ['attributes.site:[1 2]', /column 20/],
  ['*a AND *b', /one term .* wildcard/],
  ['thingName:a***', /at most 2 '\*'/],
  ['a b c d e f g h i j k l m', /13 terms; at most 12/],
  ['attributes.model:x2;', /column 20/],
  ["attributes.model:'x2'", /column 18/],
  ['attributes.model:x2 AND', /column 24/],
  ['   ', /empty/],
  ['x'.repeat(1001), /1000 bytes/],
  [`thingName:*${'x'.repeat(100)}`, /100 characters/],
];

for (const backend of BACKENDS) {
  describe(`fleet indexing queries [${backend}]`, () => {
    let s: TestServer;
    let iot: IoTClient;
    const search = async (queryString: string) => {
      const names: string[] = [];
      let nextToken: string | undefined;
      do {
        const r = await iot.send(new SearchIndexCommand({ queryString, maxResults: 2, nextToken }));
        names.push(...(r.things ?? []).map((t) => t.thingName!.slice(P.length)));
        nextToken = r.nextToken;
      } while (nextToken);
      return names;
    };

    before(async () => {
      s = await startServer(backend);
      iot = s.iot;
      for (const type of ['Sensor', 'Camera']) await iot.send(new CreateThingTypeCommand({ thingTypeName: type }));
      for (const g of ['g-red', 'g-blue', 'g-green']) await iot.send(new CreateThingGroupCommand({ thingGroupName: g }));
      for (const t of FLEET) {
        await iot.send(new CreateThingCommand({ thingName: P + t.name, thingTypeName: t.type, attributePayload: { attributes: t.attributes } }));
        for (const g of t.groups) await iot.send(new AddThingToThingGroupCommand({ thingGroupName: g, thingName: P + t.name }));
      }
    });
    after(() => s?.close());

    test('with indexing off the index does not exist', async () => {
      await rejectsWith(iot.send(new SearchIndexCommand({ queryString: '*' })), 'ResourceNotFoundException', 404, /Index AWS_Things does not exist/);
      await rejectsWith(iot.send(new DescribeIndexCommand({ indexName: 'AWS_Things' })), 'ResourceNotFoundException', 404);
      assert.deepEqual((await iot.send(new ListIndicesCommand({}))).indexNames, []);
      const c = await iot.send(new GetIndexingConfigurationCommand({}));
      assert.equal(c.thingIndexingConfiguration?.thingIndexingMode, 'OFF');
      assert.equal(c.thingGroupIndexingConfiguration?.thingGroupIndexingMode, 'OFF');
    });

    test('configuration: rules and the index described', async () => {
      await rejectsWith(
        iot.send(new UpdateIndexingConfigurationCommand({ thingIndexingConfiguration: { thingIndexingMode: 'OFF', thingConnectivityIndexingMode: 'STATUS' } })),
        'InvalidRequestException',
        400,
      );
      await rejectsWith(
        iot.send(new UpdateIndexingConfigurationCommand({ thingIndexingConfiguration: { thingIndexingMode: 'REGISTRY', customFields: [{ name: 'shadow.desired.temperature', type: 'Number' }] } })),
        'InvalidRequestException',
        400,
        /REGISTRY_AND_SHADOW/,
      );
      await iot.send(
        new UpdateIndexingConfigurationCommand({
          thingIndexingConfiguration: { thingIndexingMode: 'REGISTRY', thingConnectivityIndexingMode: 'STATUS', customFields: [{ name: 'attributes.site', type: 'Number' }] },
        }),
      );
      const c = await iot.send(new GetIndexingConfigurationCommand({}));
      assert.equal(c.thingIndexingConfiguration?.thingIndexingMode, 'REGISTRY');
      assert.equal(c.thingIndexingConfiguration?.thingConnectivityIndexingMode, 'STATUS');
      assert.deepEqual(c.thingIndexingConfiguration?.customFields, [{ name: 'attributes.site', type: 'Number' }]);
      assert.ok(c.thingIndexingConfiguration?.managedFields?.some((f) => f.name === 'connectivity.connected' && f.type === 'Boolean'));
      const d = await iot.send(new DescribeIndexCommand({ indexName: 'AWS_Things' }));
      assert.deepEqual([d.indexName, d.indexStatus, d.schema], ['AWS_Things', 'ACTIVE', 'REGISTRY_AND_CONNECTIVITY_STATUS']);
      assert.deepEqual((await iot.send(new ListIndicesCommand({}))).indexNames, ['AWS_Things']);
    });

    test('the table of queries, paged two by two', async () => {
      const failures: string[] = [];
      for (const [q, expected] of TABLE) {
        const got = await search(q);
        if (JSON.stringify(got) !== JSON.stringify(expected)) failures.push(`${q}: expected ${expected.join(',')}, got ${got.join(',')}`);
      }
      assert.deepEqual(failures, []);
    });

    test('the one-thing evaluator (a thing write re-evaluating dynamic groups) agrees with the table', async () => {
      const store = s.app.store;
      const config = await readIndexingConfig(store.db);
      const failures: string[] = [];
      for (const [q, expected] of TABLE) {
        const got: string[] = [];
        for (const t of FLEET) {
          const { rows } = await sql<{ m: unknown }>`${withThingRows(P + t.name)}select case when ${compileQuery(q, 'one', store.dialect, config)} then 1 else 0 end as m from things t where t.thing_name = ${P + t.name}`.execute(store.db);
          if (Number(rows[0]?.m) === 1) got.push(t.name);
        }
        if (JSON.stringify(got.sort()) !== JSON.stringify([...expected].sort())) failures.push(`${q}: expected ${expected.join(',')}, got ${got.join(',')}`);
      }
      assert.deepEqual(failures, []);
    });

    test('thingId and the thing documents', async () => {
      const all = await iot.send(new SearchIndexCommand({ queryString: `thingName:${P}b1` }));
      const doc = all.things![0]!;
      assert.equal(doc.thingTypeName, 'Camera');
      assert.deepEqual(doc.thingGroupNames, ['g-blue', 'g-red']);
      assert.deepEqual(doc.attributes, FLEET[2]!.attributes);
      assert.deepEqual(doc.connectivity, { connected: false });
      assert.deepEqual(await search(`thingId:${doc.thingId!.toUpperCase()}`), ['b1']);
    });

    test('syntax errors are InvalidQueryException pointing at the problem', async () => {
      for (const [q, message] of ERRORS) await rejectsWith(iot.send(new SearchIndexCommand({ queryString: q })), 'InvalidQueryException', 400, message);
      await rejectsWith(iot.send(new SearchIndexCommand({ queryString: '*', queryVersion: '2020-01-01' })), 'InvalidRequestException', 400);
      await rejectsWith(iot.send(new SearchIndexCommand({ queryString: '*', indexName: 'nope' })), 'ResourceNotFoundException', 404);
      await rejectsWith(iot.send(new SearchIndexCommand({ queryString: '*', maxResults: 501 })), 'InvalidRequestException', 400);
    });

    test('AWS_ThingGroups: group documents by name, description, attributes and parents', async () => {
      const groups = async (queryString: string) => ((await iot.send(new SearchIndexCommand({ indexName: 'AWS_ThingGroups', queryString }))).thingGroups ?? []).map((g) => g.thingGroupName);
      await rejectsWith(iot.send(new SearchIndexCommand({ indexName: 'AWS_ThingGroups', queryString: '*' })), 'ResourceNotFoundException', 404, /AWS_ThingGroups does not exist/);
      await iot.send(new CreateThingGroupCommand({ thingGroupName: 'g-sub', parentGroupName: 'g-red', thingGroupProperties: { thingGroupDescription: 'Sub group', attributePayload: { attributes: { tier: '2' } } } }));
      await iot.send(new UpdateIndexingConfigurationCommand({ thingGroupIndexingConfiguration: { thingGroupIndexingMode: 'ON' } }));
      assert.deepEqual((await iot.send(new ListIndicesCommand({}))).indexNames, ['AWS_Things', 'AWS_ThingGroups']);
      assert.deepEqual(await groups('thingGroupNames:g-r*'), ['g-red']);
      assert.deepEqual(await groups('parentGroupNames:G-RED'), ['g-sub']);
      assert.deepEqual(await groups('description:sub*'), ['g-sub']);
      assert.deepEqual(await groups('attributes.tier > 1'), ['g-sub']);
      assert.deepEqual(await groups('NOT parentGroupNames:*'), ['g-blue', 'g-green', 'g-red']);
      assert.deepEqual(await groups('thingGroupName:g-blue OR thingGroupName:g-green'), ['g-blue', 'g-green']);
      const doc = (await iot.send(new SearchIndexCommand({ indexName: 'AWS_ThingGroups', queryString: 'thingGroupName:g-sub' }))).thingGroups![0]!;
      assert.deepEqual([doc.thingGroupDescription, doc.attributes, doc.parentGroupNames], ['Sub group', { tier: '2' }, ['g-red']]);
      assert.ok(doc.thingGroupId);
      const first = await iot.send(new SearchIndexCommand({ indexName: 'AWS_ThingGroups', queryString: '*', maxResults: 3 }));
      const rest = await iot.send(new SearchIndexCommand({ indexName: 'AWS_ThingGroups', queryString: '*', maxResults: 3, nextToken: first.nextToken }));
      assert.deepEqual([...first.thingGroups!, ...rest.thingGroups!].map((g) => g.thingGroupName), ['g-blue', 'g-green', 'g-red', 'g-sub']);
    });

    test('aggregations', async () => {
      const st = await iot.send(new GetStatisticsCommand({ queryString: '*', aggregationField: 'attributes.site' }));
      assert.equal(st.statistics?.count, 3);
      assert.equal(st.statistics?.sum, 26);
      assert.equal(st.statistics?.minimum, 7);
      assert.equal(st.statistics?.maximum, 10);
      assert.ok(Math.abs(st.statistics!.average! - 26 / 3) < 1e-9);
      assert.equal(st.statistics?.sumOfSquares, 49 + 100 + 81);
      const versions = await iot.send(new GetStatisticsCommand({ queryString: 'thingTypeName:camera' }));
      assert.deepEqual([versions.statistics?.count, versions.statistics?.sum], [2, 2]);
      const card = await iot.send(new GetCardinalityCommand({ queryString: '*', aggregationField: 'attributes.model' }));
      assert.equal(card.cardinality, 3);
      const buckets = await iot.send(
        new GetBucketsAggregationCommand({ queryString: '*', aggregationField: 'attributes.model', bucketsAggregationType: { termsAggregation: { maxBuckets: 2 } } }),
      );
      assert.equal(buckets.totalCount, 4);
      assert.deepEqual(buckets.buckets, [{ keyValue: 'x2', count: 2 }, { keyValue: 'legacy', count: 1 }]);
      await rejectsWith(iot.send(new GetStatisticsCommand({ queryString: '*', aggregationField: 'shadow.reported.x' })), 'InvalidAggregationException', 400);
      await rejectsWith(iot.send(new GetCardinalityCommand({ queryString: 'a:(' })), 'InvalidQueryException', 400);
    });
  });
}
