/** The certificate, principal and IoT policy registry's tables (migration 0010_certs_registry). Times are epoch ms. */

/** One row (id 1): iot-jobs' own CA and the account's registration code. */
export interface IotCaTable {
  id: number;
  cert_pem: string;
  key_pem: string;
  registration_code: string | null;
  created_at: number;
}

export interface CertificatesTable {
  certificate_id: string;
  /** The registered CA that signed it, or null (our own CA's certificates name it; see certificates.ts). */
  ca_certificate_id: string | null;
  status: string;
  certificate_pem: string;
  certificate_mode: string;
  created_at: number;
  updated_at: number;
  generation_id: string;
  customer_version: number;
  not_before: number;
  not_after: number;
}

export interface CaCertificatesTable {
  certificate_id: string;
  status: string;
  auto_registration: string;
  certificate_pem: string;
  certificate_mode: string;
  registration_config: string | null;
  created_at: number;
  updated_at: number;
  generation_id: string;
  customer_version: number;
  not_before: number;
  not_after: number;
}

export interface ThingPrincipalsTable {
  thing_name: string;
  principal: string;
  principal_type: string;
}

export interface PoliciesTable {
  policy_name: string;
  default_version: number;
  /** The highest version id ever given: ids are not reused after a delete. */
  last_version: number;
  created_at: number;
  updated_at: number;
  generation_id: string;
}

export interface PolicyVersionsTable {
  policy_name: string;
  version_id: number;
  document: string;
  created_at: number;
}

export interface PolicyTargetsTable {
  policy_name: string;
  target: string;
}

/** One row (id 1): bumped by every change that can change a device's authorization; live connections poll it. */
export interface AuthVersionTable {
  id: number;
  v: number;
}

export interface RegistryTables {
  iot_ca: IotCaTable;
  certificates: CertificatesTable;
  ca_certificates: CaCertificatesTable;
  thing_principals: ThingPrincipalsTable;
  policies: PoliciesTable;
  policy_versions: PolicyVersionsTable;
  policy_targets: PolicyTargetsTable;
  auth_version: AuthVersionTable;
}
