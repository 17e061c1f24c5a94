import { readFileSync } from 'node:fs';
import type { ServiceName } from '../operations/types.js';

/** The trimmed botocore models (made by scripts/gen-model.mjs), the codec's source of truth. */
export interface MemberRef {
  shape: string;
  location?: 'uri' | 'querystring' | 'header' | 'headers' | 'statusCode';
  locationName?: string;
  timestampFormat?: string;
}

export interface Shape {
  type: 'structure' | 'list' | 'map' | 'string' | 'integer' | 'long' | 'double' | 'float' | 'boolean' | 'timestamp' | 'blob';
  members?: Record<string, MemberRef>;
  required?: string[];
  member?: MemberRef;
  key?: MemberRef;
  value?: MemberRef;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  error?: { httpStatusCode: number };
  exception?: boolean;
  timestampFormat?: string;
}

export interface OperationModel {
  name: string;
  http: { method: string; requestUri: string; responseCode?: number };
  input?: { shape: string };
  output?: { shape: string };
  errors: { shape: string }[];
}

export interface ServiceModel {
  metadata: { signingName: string; protocol: string; apiVersion: string };
  operations: Record<string, OperationModel>;
  shapes: Record<string, Shape>;
}

const FILES: Record<ServiceName, string> = { iot: 'iot.json', 'iot-jobs-data': 'iot-jobs-data.json' };

// The JSON stays in src/model; the compiled loader lives in dist/src/model.
const load = (file: string): ServiceModel => JSON.parse(readFileSync(new URL(`../../../src/model/${file}`, import.meta.url), 'utf8'));

export const models: Record<ServiceName, ServiceModel> = {
  iot: load(FILES.iot),
  'iot-jobs-data': load(FILES['iot-jobs-data']),
};
