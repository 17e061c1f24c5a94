import { Kysely, Migrator, sql, type Migration, type MigrationProvider } from 'kysely';
import type { DialectName } from './store.js';

/** Schema migrations live in code, in order; both backends run the same list. */
function migrations(dialect: DialectName): Record<string, Migration> {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    '0001_initial': {
      async up(db: Kysely<unknown>) {
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
      async up(db: Kysely<unknown>) {
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
      async up(db: Kysely<unknown>) {
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
        ] as const)
          await db.schema.alterTable('job_executions').addColumn(name, type).execute();
        for (const name of ['retry_attempt', 'failed_retries', 'timed_out_retries'])
          await db.schema.alterTable('job_executions').addColumn(name, 'integer', (c) => c.notNull().defaultTo(0)).execute();
      },
    },
    '0005_templates': {
      // Job templates, thing types, and the objects behind presigned-URL placeholders.
      async up(db: Kysely<unknown>) {
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
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('jobs').addColumn('rollout_pace', 'text').execute();
        await db.schema.alterTable('jobs').addColumn('rollout_ended', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      },
    },
    '0007_member_seq': {
      // The order of group joins (src/store/member-seq.ts): a SNAPSHOT job targets the members before it.
      async up(db: Kysely<unknown>) {
        if (dialect === 'postgres') await sql`create sequence member_seq`.execute(db);
        else {
          await db.schema.createTable('member_seq').addColumn('v', 'integer', (c) => c.notNull()).execute();
          await sql`insert into member_seq (v) values (0)`.execute(db);
        }
        await db.schema.alterTable('group_members').addColumn('added_seq', bigint, (c) => c.notNull().defaultTo(0)).execute();
        await db.schema.alterTable('jobs').addColumn('member_seq', bigint).execute();
      },
    },
    '0008_pending_index': {
      // A thing's pending executions from a partial index: a cancel or a completion then rewrites
      // only the row and its job index entry, not a (thing_name, status) entry (docs/benchmarks.md, abort).
      async up(db: Kysely<unknown>) {
        await db.schema.dropIndex('job_executions_thing').execute();
        await db.schema.createIndex('job_executions_thing').on('job_executions').column('thing_name').execute();
        await sql`create index job_executions_pending on job_executions (thing_name) where ${sql.raw(PENDING_STATUSES)}`.execute(db);
      },
    },
    '0009_listed': {
      // The pending index keyed on a flag rather than the status: a bulk cancel then rewrites the
      // rows alone, and a sweep after it drops their index entries (docs/benchmarks.md, abort).
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('job_executions').addColumn('listed', 'integer', (c) => c.notNull().defaultTo(0)).execute();
        await sql`update job_executions set listed = 1 where ${sql.raw(PENDING_STATUSES)}`.execute(db);
        await db.schema.dropIndex('job_executions_pending').execute();
        await sql`create index job_executions_pending on job_executions (thing_name) where ${sql.raw(LISTED)}`.execute(db);
      },
    },
    '0010_certs_registry': {
      // Certificates, thing principals and IoT policies (src/store/registry-schema.ts), and the own CA.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('iot_ca')
          .addColumn('id', 'integer', (c) => c.primaryKey())
          .addColumn('cert_pem', 'text', (c) => c.notNull())
          .addColumn('key_pem', 'text', (c) => c.notNull())
          .addColumn('registration_code', 'varchar(64)')
          .addColumn('created_at', bigint, (c) => c.notNull())
          .execute();
        const cert = (name: string) =>
          db.schema
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
        await sql`insert into auth_version (id, v) values (1, 0)`.execute(db);
      },
    },
  };
}

class StaticProvider implements MigrationProvider {
  constructor(private readonly list: Record<string, Migration>) {}
  async getMigrations() {
    return this.list;
  }
}

/** Migrates to the latest version, or to `target` (tests of an upgrade start from an old one). */
export async function migrate(db: Kysely<unknown>, dialect: DialectName, target?: string): Promise<void> {
  // On PostgreSQL, name the schema: Kysely otherwise finds another schema's migration tables.
  const schema =
    dialect === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]?.s : undefined;
  const migrator = new Migrator({
    db,
    provider: new StaticProvider(migrations(dialect)),
    migrationTableName: 'iot_jobs_migrations',
    migrationLockTableName: 'iot_jobs_migrations_lock',
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error } = await (target ? migrator.migrateTo(target) : migrator.migrateToLatest());
  if (error) throw error instanceof Error ? error : new Error(String(error));
}

export { sql };

/** The pending statuses, as SQL (and migration 0008's index predicate, which must not change). */
export const PENDING_STATUSES = "status in ('IN_PROGRESS', 'QUEUED')";
/** The pending index's predicate since 0009: a query must repeat it word for word for SQLite to use the index. */
export const LISTED = 'listed = 1';
