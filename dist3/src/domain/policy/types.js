/** Shapes shared by the policy engine's parts; see index.ts for the API. */
export {};
//# sourceMappingURL=types.js.map