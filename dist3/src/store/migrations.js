import { Migrator, sql } from 'kysely';
import { backfillGroupFields, backfillThingFields } from './fleet-index.js';
/** Schema migrations live in code, in order; both backends run the same list. */
function migrations(dialect) {
    const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
    return {
        '0001_initial': {
            async up(db) {
                await db.schema
                    .createTable('things')
                    .addColumn('thing_name', 'varchar(128)', (c) => c.primaryKey())
                    .addColumn('thing_id', 'varchar(64)', (c) => c.notNull())
                    .addColumn('thing_type_name', 'varchar(128)')
                    .addColumn('attributes', 'text', (c) => c.notNull())
                    .addColumn('version', bigint, (c) => c.notNull())
                    .addColumn('created_at', bigint, (c) => c.notNull())
                    .execute();
                await db.schema
                    .createTable('thing_groups')
                    .addColumn('group_name', 'varchar(128)', (c) => c.primaryKey())
                    .addColumn('group_id', 'varchar(64)', (c) => c.notNull())
                    .addColumn('parent_group_name', 'varchar(128)')
                    .addColumn('description', 'text')
                    .addColumn('attributes', 'text', (c) => c.notNull())
                    .addColumn('version', bigint, (c) => c.notNull())
                    .addColumn('created_at', bigint, (c) => c.notNull())
                    .execute();
                await db.schema.createIndex('thing_groups_parent').on('thing_groups').columns(['parent_group_name', 'group_name']).execute();
                await db.schema.createIndex('thing_groups_id').on('thing_groups').column('group_id').execute();
                await db.schema
                    .createTable('group_members')
                    .addColumn('group_name', 'varchar(128)', (c) => c.notNull())
                    .addColumn('thing_name', 'varchar(128)', (c) => c.notNull())
                    .addPrimaryKeyConstraint('group_members_pk', ['group_name', 'thing_name'])
                    .execute();
                await db.schema.createIndex('group_members_thing').on('group_members').columns(['thing_name', 'group_name']).execute();
                await db.schema
                    .createTable('jobs')
                    .addColumn('job_id', 'varchar(64)', (c) => c.primaryKey())
                    .addColumn('status', 'varchar(32)', (c) => c.notNull())
                    .addColumn('target_selection', 'varchar(16)', (c) => c.notNull())
                    .addColumn('targets', 'text', (c) => c.notNull())
                    .addColumn('document', 'text')
                    .addColumn('document_source', 'text')
                    .addColumn('description', 'text')
                    .addColumn('namespace_id', 'varchar(128)')
                    .addColumn('config', 'text', (c) => c.notNull())
                    .addColumn('force_canceled', 'integer', (c) => c.notNull())
                    .addColumn('reason_code', 'varchar(128)')
                    .addColumn('comment', 'text')
                    .addColumn('created_at', bigint, (c) => c.notNull())
                    .addColumn('last_updated_at', bigint, (c) => c.notNull())
                    .addColumn('completed_at', bigint)
                    .addColumn('n_queued', bigint, (c) => c.notNull())
                    .addColumn('n_in_progress', bigint, (c) => c.notNull())
                    .addColumn('n_succeeded', bigint, (c) => c.notNull())
                    .addColumn('n_failed', bigint, (c) => c.notNull())
                    .addColumn('n_rejected', bigint, (c) => c.notNull())
                    .addColumn('n_canceled', bigint, (c) => c.notNull())
                    .addColumn('n_removed', bigint, (c) => c.notNull())
                    .addColumn('n_timed_out', bigint, (c) => c.notNull())
                    .addColumn('pending_work', 'varchar(16)')
                    .addColumn('rollout_cursor', 'text')
                    .addColumn('lease_owner', 'varchar(64)')
                    .addColumn('lease_until', bigint)
                    .execute();
                await db.schema.createIndex('jobs_status').on('jobs').columns(['status', 'job_id']).execute();
                await db.schema.createIndex('jobs_pending_work').on('jobs').columns(['pending_work', 'lease_until']).execute();
                await db.schema
                    .createTable('job_targets')
                    .addColumn('job_id', 'varchar(64)', (c) => c.notNull())
                    .addColumn('position', 'integer', (c) => c.notNull())
                    .addColumn('kind', 'varchar(8)', (c) => c.notNull())
                    .addColumn('name', 'varchar(128)', (c) => c.notNull())
                    .addPrimaryKeyConstraint('job_targets_pk', ['job_id', 'position'])
                    .execute();
                await db.schema.createIndex('job_targets_name').on('job_targets').columns(['kind', 'name', 'job_id']).execute();
                await db.schema
                    .createTable('job_executions')
                    .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) => c.primaryKey())
                    .addColumn('job_id', 'varchar(64)', (c) => c.notNull())
                    .addColumn('thing_name', 'varchar(128)', (c) => c.notNull())
                    .addColumn('execution_number', bigint, (c) => c.notNull())
                    .addColumn('status', 'varchar(16)', (c) => c.notNull())
                    .addColumn('status_details', 'text')
                    .addColumn('force_canceled', 'integer', (c) => c.notNull())
                    .addColumn('queued_at', bigint, (c) => c.notNull())
                    .addColumn('started_at', bigint)
                    .addColumn('last_updated_at', bigint, (c) => c.notNull())
                    .addColumn('version_number', bigint, (c) => c.notNull())
                    .addColumn('step_timeout_minutes', bigint)
                    .execute();
                await db.schema
                    .createIndex('job_executions_job_thing')
                    .unique()
                    .on('job_executions')
                    .columns(['job_id', 'thing_name', 'execution_number'])
                    .execute();
                await db.schema.createIndex('job_executions_thing').on('job_executions').columns(['thing_name', 'status']).execute();
                await db.schema
                    .createTable('tags')
                    .addColumn('resource_arn', 'varchar(2048)', (c) => c.notNull())
                    .addColumn('tag_key', 'varchar(128)', (c) => c.notNull())
                    .addColumn('tag_value', 'varchar(256)', (c) => c.notNull())
                    .addPrimaryKeyConstraint('tags_pk', ['resource_arn', 'tag_key'])
                    .execute();
                // Singleton duties that one node holds at a time (the MQTT request consumer on an external broker).
                await db.schema
                    .createTable('service_leases')
                    .addColumn('name', 'varchar(64)', (c) => c.primaryKey())
                    .addColumn('owner', 'varchar(64)')
                    .addColumn('lease_until', 'bigint', (c) => c.notNull().defaultTo(0))
                    .execute();
            },
        },
        '0002_notified': {
            // What each thing was last told, shared by the nodes of a scale-out service (notifier.ts).
            async up(db) {
                await db.schema
                    .createTable('notified')
                    .addColumn('thing_name', 'varchar(128)', (c) => c.notNull())
                    .addColumn('namespace_id', 'varchar(64)', (c) => c.notNull())
                    .addColumn('list_key', 'text')
                    .addColumn('next_key', 'text')
                    .addPrimaryKeyConstraint('notified_pk', ['thing_name', 'namespace_id'])
                    .execute();
            },
        },
        '0004_timers': {
            // The durable clock, durable timers, and the timeout and retry state of executions (docs/design.md).
            async up(db) {
                await db.schema
                    .createTable('clock_state')
                    .addColumn('name', 'varchar(32)', (c) => c.primaryKey())
                    .addColumn('now_ms', bigint, (c) => c.notNull())
                    .execute();
                await db.schema
                    .createTable('timers')
                    .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) => c.primaryKey())
                    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
                    .addColumn('ref', 'varchar(200)', (c) => c.notNull())
                    .addColumn('job_id', 'varchar(64)')
                    .addColumn('due_at', bigint, (c) => c.notNull())
                    .addColumn('lease_owner', 'varchar(64)')
                    .addColumn('lease_until', bigint)
                    .execute();
                await db.schema.createIndex('timers_kind_ref').unique().on('timers').columns(['kind', 'ref']).execute();
                await db.schema.createIndex('timers_due').on('timers').columns(['due_at', 'id']).execute();
                for (const [name, type] of [
                    ['in_progress_deadline', bigint],
                    ['timeout_at', bigint],
                ])
                    await db.schema.alterTable('job_executions').addColumn(name, type).execute();
                for (const name of ['retry_attempt', 'failed_retries', 'timed_out_retries'])
                    await db.schema.alterTable('job_executions').addColumn(name, 'integer', (c) => c.notNull().defaultTo(0)).execute();
            },
        },
        '0005_templates': {
            // Job templates, thing types, and the objects behind presigned-URL placeholders.
            async up(db) {
                await db.schema
                    .createTable('job_templates')
                    .addColumn('job_template_id', 'varchar(64)', (c) => c.primaryKey())
                    .addColumn('description', 'text', (c) => c.notNull())
                    .addColumn('document', 'text')
                    .addColumn('document_source', 'text')
                    .addColumn('config', 'text', (c) => c.notNull())
                    .addColumn('created_at', bigint, (c) => c.notNull())
                    .execute();
                await db.schema.createIndex('job_templates_created').on('job_templates').columns(['created_at', 'job_template_id']).execute();
                await db.schema
                    .createTable('thing_types')
                    .addColumn('thing_type_name', 'varchar(128)', (c) => c.primaryKey())
                    .addColumn('thing_type_id', 'varchar(64)', (c) => c.notNull())
                    .addColumn('properties', 'text', (c) => c.notNull())
                    .addColumn('deprecated', 'integer', (c) => c.notNull())
                    .addColumn('deprecated_at', bigint)
                    .addColumn('created_at', bigint, (c) => c.notNull())
                    .execute();
                await db.schema.createIndex('things_type').on('things').columns(['thing_type_name', 'thing_name']).execute();
                await db.schema
                    .createTable('s3_objects')
                    .addColumn('bucket', 'varchar(63)', (c) => c.notNull())
                    .addColumn('object_key', 'varchar(1024)', (c) => c.notNull())
                    .addColumn('body', dialect === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
                    .addColumn('content_type', 'varchar(256)')
                    .addColumn('updated_at', bigint, (c) => c.notNull())
                    .addPrimaryKeyConstraint('s3_objects_pk', ['bucket', 'object_key'])
                    .execute();
            },
        },
        '0006_rollout': {
            // The paced rollout's durable state (src/store/rollout.ts), and whether the schedule's end stopped it.
            async up(db) {
                await db.schema.alterTable('jobs').addColumn('rollout_pace', 'text').execute();
                await db.schema.alterTable('jobs').addColumn('rollout_ended', 'integer', (c) => c.notNull().defaultTo(0)).execute();
            },
        },
        '0007_member_seq': {
            // The order of group joins (src/store/member-seq.ts): a SNAPSHOT job targets the members before it.
            async up(db) {
                if (dialect === 'postgres')
                    await sql `create sequence member_seq`.execute(db);
                else {
                    await db.schema.createTable('member_seq').addColumn('v', 'integer', (c) => c.notNull()).execute();
                    await sql `insert into member_seq (v) values (0)`.execute(db);
                }
                await db.schema.alterTable('group_members').addColumn('added_seq', bigint, (c) => c.notNull().defaultTo(0)).execute();
                await db.schema.alterTable('jobs').addColumn('member_seq', bigint).execute();
            },
        },
        '0008_pending_index': {
            // A thing's pending executions from a partial index: a cancel or a completion then rewrites
            // only the row and its job index entry, not a (thing_name, status) entry (docs/benchmarks.md, abort).
            async up(db) {
                await db.schema.dropIndex('job_executions_thing').execute();
                await db.schema.createIndex('job_executions_thing').on('job_executions').column('thing_name').execute();
                await sql `create index job_executions_pending on job_executions (thing_name) where ${sql.raw(PENDING_STATUSES)}`.execute(db);
            },
        },
        '0009_listed': {
            // The pending index keyed on a flag rather than the status: a bulk cancel then rewrites the
            // rows alone, and a sweep after it drops their index entries (docs/benchmarks.md, abort).
            async up(db) {
                await db.schema.alterTable('job_executions').addColumn('listed', 'integer', (c) => c.notNull().defaultTo(0)).execute();
                await sql `update job_executions set listed = 1 where ${sql.raw(PENDING_STATUSES)}`.execute(db);
                await db.schema.dropIndex('job_executions_pending').execute();
                await sql `create index job_executions_pending on job_executions (thing_name) where ${sql.raw(LISTED)}`.execute(db);
            },
        },
        '0010_lifecycle': {
            // One engine for background work (src/workers/engine.ts): a job's owed work is a timer due
            // now, claimed by the transaction that does the step, so the job leases and the timers'
            // unused lease columns go; the job's cursor is named for what it is (store/work.ts).
            async up(db) {
                await db.schema.alterTable('jobs').renameColumn('rollout_cursor', 'work_cursor').execute();
                // The jobs owing work are found through their timers now; /metrics groups by pending_work.
                await db.schema.dropIndex('jobs_pending_work').execute();
                await db.schema.createIndex('jobs_pending_work').on('jobs').column('pending_work').execute();
                for (const column of ['lease_owner', 'lease_until']) {
                    await db.schema.alterTable('jobs').dropColumn(column).execute();
                    await db.schema.alterTable('timers').dropColumn(column).execute();
                }
                // A job's own timers (ref = jobId) and its executions' timeouts, by job.
                await db.schema.createIndex('timers_job').on('timers').columns(['job_id', 'kind']).execute();
                await sql `insert into timers (kind, ref, job_id, due_at)
          select 'work:' || pending_work, job_id, job_id, 0 from jobs where pending_work is not null`.execute(db);
            },
        },
        '0011_event_outbox': {
            // Events owed by committed transitions, until published (store/outbox.ts).
            async up(db) {
                await db.schema
                    .createTable('event_outbox')
                    .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) => c.primaryKey())
                    .addColumn('type', 'varchar(32)', (c) => c.notNull())
                    .addColumn('event_id', 'varchar(36)', (c) => c.notNull())
                    .addColumn('body', 'text', (c) => c.notNull())
                    .addColumn('lease_owner', 'varchar(64)')
                    .addColumn('lease_until', bigint, (c) => c.notNull().defaultTo(0))
                    .execute();
            },
        },
        '0012_event_config': {
            // UpdateEventConfigurations' settings, shared by the nodes; the version lets each node's cache see a change cheaply.
            async up(db) {
                await db.schema
                    .createTable('event_config')
                    .addColumn('name', 'varchar(16)', (c) => c.primaryKey())
                    .addColumn('enabled', 'text', (c) => c.notNull())
                    .addColumn('version', bigint, (c) => c.notNull())
                    .addColumn('created_at', bigint, (c) => c.notNull())
                    .addColumn('updated_at', bigint, (c) => c.notNull())
                    .execute();
            },
        },
        '0013_quota_nodes': {
            // The nodes' demand per quota bucket, from which each takes its share (src/quotas/shares.ts).
            async up(db) {
                await db.schema
                    .createTable('quota_nodes')
                    .addColumn('node_id', 'varchar(64)', (c) => c.primaryKey())
                    .addColumn('seen_at', bigint, (c) => c.notNull())
                    .addColumn('demand', 'text', (c) => c.notNull())
                    .execute();
            },
        },
        '0014_fleet_index': {
            // Fleet indexing (src/store/fleet-index.ts): one row per searchable value of a thing, the
            // connectivity the embedded broker saw, the indexing configuration, and dynamic groups.
            async up(db) {
                // Byte order on PostgreSQL too: LIKE prefixes use the index, string ranges compare as on SQLite.
                const text = dialect === 'postgres' ? sql `text collate "C"` : sql `text`;
                // One table per index (things, thing groups): rows of (key, field, lower-cased value, number).
                for (const [table, key] of [['thing_fields', 'thing_name'], ['group_fields', 'group_name']]) {
                    await db.schema
                        .createTable(table)
                        .addColumn(key, 'varchar(128)', (c) => c.notNull())
                        .addColumn('field', 'varchar(256)', (c) => c.notNull())
                        .addColumn('value_lc', text, (c) => c.notNull())
                        .addColumn('num', 'double precision')
                        .addPrimaryKeyConstraint(`${table}_pk`, [key, 'field', 'value_lc'])
                        .execute();
                    await db.schema.createIndex(`${table}_value`).on(table).columns(['field', 'value_lc', key]).execute();
                    await db.schema.createIndex(`${table}_num`).on(table).columns(['field', 'num', key]).execute();
                }
                // Unqualified terms search every field of a thing.
                await db.schema.createIndex('thing_fields_any').on('thing_fields').columns(['value_lc', 'thing_name']).execute();
                await db.schema
                    .createTable('thing_connectivity')
                    .addColumn('thing_name', 'varchar(128)', (c) => c.primaryKey())
                    .addColumn('connected', 'integer', (c) => c.notNull())
                    .addColumn('ts', bigint, (c) => c.notNull())
                    .addColumn('disconnect_reason', 'varchar(64)')
                    .execute();
                await db.schema
                    .createTable('fleet_indexing')
                    .addColumn('name', 'varchar(32)', (c) => c.primaryKey())
                    .addColumn('config', 'text', (c) => c.notNull())
                    .addColumn('updated_at', bigint, (c) => c.notNull())
                    .execute();
                await db.schema.alterTable('thing_groups').addColumn('dynamic', 'integer', (c) => c.notNull().defaultTo(0)).execute();
                for (const [name, type] of [['query_string', 'text'], ['query_version', 'varchar(32)'], ['index_name', 'varchar(128)'], ['dyn_status', 'varchar(16)'], ['build_cursor', 'varchar(128)']])
                    await db.schema.alterTable('thing_groups').addColumn(name, type).execute();
                await db.schema.createIndex('thing_groups_dynamic').on('thing_groups').columns(['dynamic', 'group_name']).execute();
                await backfillThingFields(db);
                await backfillGroupFields(db);
            },
        },
        '0015_commands': {
            // AWS IoT commands (docs/compatibility.md, Commands): the lists' keyset orders are indexes.
            async up(db) {
                await db.schema
                    .createTable('commands')
                    .addColumn('command_id', 'varchar(64)', (c) => c.primaryKey())
                    .addColumn('namespace', 'varchar(32)', (c) => c.notNull())
                    .addColumn('display_name', 'varchar(64)')
                    .addColumn('description', 'text')
                    .addColumn('payload_content', 'text')
                    .addColumn('payload_content_type', 'text')
                    .addColumn('payload_template', 'text')
                    .addColumn('preprocessor', 'text')
                    .addColumn('mandatory_parameters', 'text')
                    .addColumn('role_arn', 'text')
                    .addColumn('created_at', bigint, (c) => c.notNull())
                    .addColumn('last_updated_at', bigint, (c) => c.notNull())
                    .addColumn('deprecated', 'integer', (c) => c.notNull())
                    .addColumn('deprecated_at', bigint)
                    .addColumn('pending_deletion', 'integer', (c) => c.notNull())
                    .execute();
                await db.schema.createIndex('commands_created').on('commands').columns(['created_at', 'command_id']).execute();
                await db.schema.createIndex('commands_ns_created').on('commands').columns(['namespace', 'created_at', 'command_id']).execute();
                await db.schema
                    .createTable('command_parameters')
                    .addColumn('command_id', 'varchar(64)', (c) => c.notNull())
                    .addColumn('name', 'varchar(192)', (c) => c.notNull())
                    .addPrimaryKeyConstraint('command_parameters_pk', ['name', 'command_id'])
                    .execute();
                await db.schema
                    .createTable('command_executions')
                    .addColumn('execution_id', 'varchar(64)', (c) => c.primaryKey())
                    .addColumn('command_id', 'varchar(64)', (c) => c.notNull())
                    .addColumn('namespace', 'varchar(32)', (c) => c.notNull())
                    .addColumn('target_arn', 'varchar(2048)', (c) => c.notNull())
                    .addColumn('status', 'varchar(16)', (c) => c.notNull())
                    .addColumn('timed_out_by_service', 'integer', (c) => c.notNull())
                    .addColumn('reason_code', 'varchar(64)')
                    .addColumn('reason_description', 'text')
                    .addColumn('result', 'text')
                    .addColumn('parameters', 'text')
                    .addColumn('execution_timeout_seconds', bigint, (c) => c.notNull())
                    .addColumn('client_token', 'varchar(64)')
                    .addColumn('request_hash', 'text')
                    .addColumn('created_at', bigint, (c) => c.notNull())
                    .addColumn('last_updated_at', bigint, (c) => c.notNull())
                    .addColumn('started_at', bigint, (c) => c.notNull())
                    .addColumn('completed_at', bigint)
                    .addColumn('time_to_live', bigint, (c) => c.notNull())
                    .addColumn('version', bigint, (c) => c.notNull())
                    .execute();
                await db.schema.createIndex('command_executions_token').on('command_executions').column('client_token').unique().execute();
                for (const by of ['started_at', 'completed_at']) {
                    await db.schema.createIndex(`command_executions_${by}`).on('command_executions').columns([by, 'execution_id']).execute();
                    await db.schema.createIndex(`command_executions_cmd_${by}`).on('command_executions').columns(['command_id', by, 'execution_id']).execute();
                    await db.schema.createIndex(`command_executions_target_${by}`).on('command_executions').columns(['target_arn', by, 'execution_id']).execute();
                    await db.schema.createIndex(`command_executions_status_${by}`).on('command_executions').columns(['status', by, 'execution_id']).execute();
                }
            },
        },
        '0016_certs_registry': {
            // Certificates, thing principals and IoT policies (src/store/registry-schema.ts), and the own CA.
            async up(db) {
                await db.schema
                    .createTable('iot_ca')
                    .addColumn('id', 'integer', (c) => c.primaryKey())
                    .addColumn('cert_pem', 'text', (c) => c.notNull())
                    .addColumn('key_pem', 'text', (c) => c.notNull())
                    .addColumn('registration_code', 'varchar(64)')
                    .addColumn('created_at', bigint, (c) => c.notNull())
                    .execute();
                const cert = (name) => db.schema
                    .createTable(name)
                    .addColumn('certificate_id', 'varchar(64)', (c) => c.primaryKey())
                    .addColumn('status', 'varchar(32)', (c) => c.notNull())
                    .addColumn('certificate_pem', 'text', (c) => c.notNull())
                    .addColumn('certificate_mode', 'varchar(16)', (c) => c.notNull())
                    .addColumn('created_at', bigint, (c) => c.notNull())
                    .addColumn('updated_at', bigint, (c) => c.notNull())
                    .addColumn('generation_id', 'varchar(64)', (c) => c.notNull())
                    .addColumn('customer_version', 'integer', (c) => c.notNull())
                    .addColumn('not_before', bigint, (c) => c.notNull())
                    .addColumn('not_after', bigint, (c) => c.notNull());
                await cert('certificates').addColumn('ca_certificate_id', 'varchar(64)').execute();
                await cert('ca_certificates').addColumn('auto_registration', 'varchar(16)', (c) => c.notNull()).addColumn('registration_config', 'text').execute();
                await db.schema.createIndex('certificates_created').on('certificates').columns(['created_at', 'certificate_id']).execute();
                await db.schema.createIndex('certificates_ca').on('certificates').columns(['ca_certificate_id', 'created_at', 'certificate_id']).execute();
                await db.schema.createIndex('ca_certificates_created').on('ca_certificates').columns(['created_at', 'certificate_id']).execute();
                await db.schema
                    .createTable('thing_principals')
                    .addColumn('thing_name', 'varchar(128)', (c) => c.notNull())
                    .addColumn('principal', 'varchar(2048)', (c) => c.notNull())
                    .addColumn('principal_type', 'varchar(32)', (c) => c.notNull())
                    .addPrimaryKeyConstraint('thing_principals_pk', ['thing_name', 'principal'])
                    .execute();
                await db.schema.createIndex('thing_principals_principal').on('thing_principals').columns(['principal', 'thing_name']).execute();
                await db.schema
                    .createTable('policies')
                    .addColumn('policy_name', 'varchar(128)', (c) => c.primaryKey())
                    .addColumn('default_version', 'integer', (c) => c.notNull())
                    .addColumn('last_version', 'integer', (c) => c.notNull())
                    .addColumn('created_at', bigint, (c) => c.notNull())
                    .addColumn('updated_at', bigint, (c) => c.notNull())
                    .addColumn('generation_id', 'varchar(64)', (c) => c.notNull())
                    .execute();
                await db.schema
                    .createTable('policy_versions')
                    .addColumn('policy_name', 'varchar(128)', (c) => c.notNull())
                    .addColumn('version_id', 'integer', (c) => c.notNull())
                    .addColumn('document', 'text', (c) => c.notNull())
                    .addColumn('created_at', bigint, (c) => c.notNull())
                    .addPrimaryKeyConstraint('policy_versions_pk', ['policy_name', 'version_id'])
                    .execute();
                await db.schema
                    .createTable('policy_targets')
                    .addColumn('policy_name', 'varchar(128)', (c) => c.notNull())
                    .addColumn('target', 'varchar(2048)', (c) => c.notNull())
                    .addPrimaryKeyConstraint('policy_targets_pk', ['policy_name', 'target'])
                    .execute();
                await db.schema.createIndex('policy_targets_target').on('policy_targets').columns(['target', 'policy_name']).execute();
                await db.schema.createTable('auth_version').addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('v', bigint, (c) => c.notNull()).execute();
                await sql `insert into auth_version (id, v) values (1, 0)`.execute(db);
            },
        },
    };
}
class StaticProvider {
    list;
    constructor(list) {
        this.list = list;
    }
    async getMigrations() {
        return this.list;
    }
}
/** Migrates to the latest version, or to `target` (tests of an upgrade start from an old one). */
export async function migrate(db, dialect, target) {
    // On PostgreSQL, name the schema: Kysely otherwise finds another schema's migration tables.
    const schema = dialect === 'postgres' ? (await sql `select current_schema() as s`.execute(db)).rows[0]?.s : undefined;
    const migrator = new Migrator({
        db,
        provider: new StaticProvider(migrations(dialect)),
        migrationTableName: 'iot_jobs_migrations',
        migrationLockTableName: 'iot_jobs_migrations_lock',
        ...(schema ? { migrationTableSchema: schema } : {}),
    });
    const { error } = await (target ? migrator.migrateTo(target) : migrator.migrateToLatest());
    if (error)
        throw error instanceof Error ? error : new Error(String(error));
}
export { sql };
/** The pending statuses, as SQL (and migration 0008's index predicate, which must not change). */
export const PENDING_STATUSES = "status in ('IN_PROGRESS', 'QUEUED')";
/** The pending index's predicate since 0009: a query must repeat it word for word for SQLite to use the index. */
export const LISTED = 'listed = 1';
//# sourceMappingURL=migrations.js.map