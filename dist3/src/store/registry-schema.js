/** The certificate, principal and IoT policy registry's tables (migration 0010_certs_registry). Times are epoch ms. */
export {};
//# sourceMappingURL=registry-schema.js.map