import type { Generated } from 'kysely';

/** The two backends (store.ts opens them; migrations.ts writes each its own DDL where they differ). */
export type DialectName = 'sqlite' | 'postgres';

/** Times are epoch milliseconds; JSON columns hold text. */
export interface ThingsTable {
  thing_name: string;
  thing_id: string;
  thing_type_name: string | null;
  attributes: string;
  version: number;
  created_at: number;
}

export interface ThingGroupsTable {
  group_name: string;
  group_id: string;
  parent_group_name: string | null;
  description: string | null;
  attributes: string;
  version: number;
  created_at: number;
  /** 1 for a dynamic group (members from its query); the columns below are null on static groups. */
  dynamic: Generated<number>;
  query_string: string | null;
  query_version: string | null;
  index_name: string | null;
  /** BUILDING | ACTIVE | REBUILDING */
  dyn_status: string | null;
  /** The last thing name a (re)build step handled; null when no build runs. */
  build_cursor: string | null;
}

/** One searchable value of a thing (fleet indexing): field name as queried, value in lower case, number when numeric. */
export interface ThingFieldsTable {
  thing_name: string;
  field: string;
  value_lc: string;
  num: number | null;
}

/** One searchable value of a thing group (AWS_ThingGroups). */
export interface GroupFieldsTable {
  group_name: string;
  field: string;
  value_lc: string;
  num: number | null;
}

/** What the embedded broker saw of a thing's connection (connectivity indexing). */
export interface ThingConnectivityTable {
  thing_name: string;
  connected: number;
  ts: number;
  disconnect_reason: string | null;
}

/** The indexing configuration ('config' row): GetIndexingConfiguration's answer, as JSON. */
export interface FleetIndexingTable {
  name: string;
  config: string;
  updated_at: number;
}

export interface GroupMembersTable {
  group_name: string;
  thing_name: string;
  /** The join's place in member-seq.ts's order (0: before it existed). */
  added_seq: Generated<number>;
}

export interface JobsTable {
  job_id: string;
  status: string;
  target_selection: string;
  targets: string;
  document: string | null;
  document_source: string | null;
  description: string | null;
  namespace_id: string | null;
  /** The job's configurations as JSON (rollout, abort, timeout, retry, scheduling, presigned URL, template). */
  config: string;
  force_canceled: number;
  reason_code: string | null;
  comment: string | null;
  created_at: number;
  last_updated_at: number;
  completed_at: number | null;
  n_queued: number;
  n_in_progress: number;
  n_succeeded: number;
  n_failed: number;
  n_rejected: number;
  n_canceled: number;
  n_removed: number;
  n_timed_out: number;
  /** Background work still owed to this job (store/work.ts): 'rollout' | 'cancel' | 'sweep' | 'delete', or null. */
  pending_work: string | null;
  /** Where that work (or a paced fan-out) resumes, typed per kind by store/work.ts. */
  work_cursor: string | null;
  /** A paced rollout still creating executions: JSON RolloutState (src/store/rollout.ts), else null. */
  rollout_pace: string | null;
  /** 1 once schedulingConfig.endTime stopped the rollout for good (no more executions, joins included). */
  rollout_ended: number;
  /** SNAPSHOT with group targets: members with a lower added_seq are its targets. */
  member_seq: number | null;
}

/** One row per target, so that group joins and ListJobs?thingGroupName are index lookups. */
export interface JobTargetsTable {
  job_id: string;
  position: number;
  kind: string; // 'thing' | 'group'
  name: string;
}

export interface JobExecutionsTable {
  id: Generated<number>;
  job_id: string;
  thing_name: string;
  execution_number: number;
  status: string;
  status_details: string | null;
  force_canceled: number;
  queued_at: number;
  started_at: number | null;
  last_updated_at: number;
  version_number: number;
  step_timeout_minutes: number | null;
  /** When the in-progress timer ends (set when the execution starts), or null. */
  in_progress_deadline: number | null;
  /** When the execution times out: min(in-progress deadline, step deadline), or null (no timer). */
  timeout_at: number | null;
  /** Retries before this attempt: in all, of FAILED, of TIMED_OUT. */
  retry_attempt: Generated<number>;
  failed_retries: Generated<number>;
  timed_out_retries: Generated<number>;
  /**
   * 1 while the row is in the index of pending executions (job_executions_pending). Set with every
   * status write, except a worker's bulk cancel: that leaves it, and the sweep after it clears it.
   */
  listed: number;
}

export interface TagsTable {
  resource_arn: string;
  tag_key: string;
  tag_value: string;
}

export interface ServiceLeasesTable {
  name: string;
  owner: string | null;
  lease_until: number;
}

/** What a thing was last told on its notify topics ('' = no namespace); null = never told. */
export interface NotifiedTable {
  thing_name: string;
  namespace_id: string;
  list_key: string | null;
  next_key: string | null;
}

/** Custom job templates; `config` holds the job configurations as the CreateJob wire names them. */
export interface JobTemplatesTable {
  job_template_id: string;
  description: string;
  document: string | null;
  document_source: string | null;
  config: string;
  created_at: number;
}

export interface ThingTypesTable {
  thing_type_name: string;
  thing_type_id: string;
  /** ThingTypeProperties as JSON (description, searchable attributes). */
  properties: string;
  deprecated: number;
  deprecated_at: number | null;
  created_at: number;
}

/** Objects iot-jobs serves itself when no --s3-endpoint is given (presigned-URL placeholders). */
export interface S3ObjectsTable {
  bucket: string;
  object_key: string;
  body: Buffer;
  content_type: string | null;
  updated_at: number;
}

/** The manual clock, shared by the nodes ('manual' row). */
export interface ClockStateTable {
  name: string;
  now_ms: number;
}

/** Something due at a time: a kind, what it refers to (store/timers.ts), and when; the engine claims it by taking it. */
export interface TimersTable {
  id: Generated<number>;
  kind: string;
  ref: string;
  job_id: string | null;
  due_at: number;
}

/** Events owed by committed transitions until published (store/outbox.ts). */
export interface EventOutboxTable {
  id: Generated<number>;
  type: string;
  event_id: string;
  body: string;
  lease_owner: string | null;
  lease_until: number;
}

/** The account's event configuration (one row, 'events'): enabled event types, versioned for the nodes' caches. */
export interface EventConfigTable {
  name: string;
  /** JSON object: EventType -> true, for the enabled types only. */
  enabled: string;
  version: number;
  created_at: number;
  updated_at: number;
}

/** Each node's report of its requests per quota bucket (src/quotas/shares.ts), PostgreSQL only. */
export interface QuotaNodesTable {
  node_id: string;
  seen_at: number;
  demand: string;
}

/** A command (AWS IoT commands): payload bytes as base64, JSON members as text. */
export interface CommandsTable {
  command_id: string;
  namespace: string;
  display_name: string | null;
  description: string | null;
  payload_content: string | null;
  payload_content_type: string | null;
  payload_template: string | null;
  preprocessor: string | null;
  mandatory_parameters: string | null;
  role_arn: string | null;
  created_at: number;
  last_updated_at: number;
  deprecated: number;
  deprecated_at: number | null;
  pending_deletion: number;
}

/** A command's parameter names, for ListCommands' commandParameterName filter (indexed by name). */
export interface CommandParametersTable {
  command_id: string;
  name: string;
}

/** One execution of a command on one target (a thing or an MQTT client). */
export interface CommandExecutionsTable {
  execution_id: string;
  command_id: string;
  namespace: string;
  target_arn: string;
  status: string;
  /** 1 when the service set TIMED_OUT (the device may still report a final status). */
  timed_out_by_service: number;
  reason_code: string | null;
  reason_description: string | null;
  result: string | null;
  parameters: string | null;
  execution_timeout_seconds: number;
  client_token: string | null;
  request_hash: string | null;
  created_at: number;
  last_updated_at: number;
  started_at: number;
  completed_at: number | null;
  time_to_live: number;
  version: number;
}

import type { RegistryTables } from './registry-schema.js';

export interface DB extends RegistryTables {
  event_outbox: EventOutboxTable;
  things: ThingsTable;
  thing_groups: ThingGroupsTable;
  group_members: GroupMembersTable;
  jobs: JobsTable;
  job_targets: JobTargetsTable;
  job_executions: JobExecutionsTable;
  tags: TagsTable;
  service_leases: ServiceLeasesTable;
  notified: NotifiedTable;
  job_templates: JobTemplatesTable;
  thing_types: ThingTypesTable;
  s3_objects: S3ObjectsTable;
  clock_state: ClockStateTable;
  timers: TimersTable;
  event_config: EventConfigTable;
  quota_nodes: QuotaNodesTable;
  thing_fields: ThingFieldsTable;
  group_fields: GroupFieldsTable;
  thing_connectivity: ThingConnectivityTable;
  fleet_indexing: FleetIndexingTable;
  commands: CommandsTable;
  command_parameters: CommandParametersTable;
  command_executions: CommandExecutionsTable;
}
