/**
 * The layers of src/, checked by `npm test` (docs/architecture.md):
 *   wire adapters (http, mqtt) → operations → store: steps → lifecycle → primitives; domain below all.
 */
module.exports = {
  forbidden: [
    { name: 'no-circular', comment: 'No import cycles in src/.', severity: 'error', from: { path: '^src/' }, to: { circular: true } },
    { name: 'domain-imports-nothing', comment: 'The domain is pure: it imports nothing of ours outside domain/.', severity: 'error', from: { path: '^src/domain/' }, to: { path: '^src/', pathNot: '^src/domain/' } },
    {
      name: 'store-below-the-rest',
      comment: 'The store imports nothing from the operations, the engine or the wire adapters.',
      severity: 'error',
      from: { path: '^src/store/' },
      to: { path: '^src/(operations|workers|http|mqtt|cli|codec|s3)/' },
    },
    {
      name: 'primitives-below-lifecycle',
      comment: "The store's primitives (src/store/*.ts) import no lifecycle module and no step.",
      severity: 'error',
      from: { path: '^src/store/[^/]+$' },
      to: { path: '^src/store/(lifecycle|steps)/' },
    },
    { name: 'lifecycle-below-steps', comment: 'The transition layer imports no step built on it.', severity: 'error', from: { path: '^src/store/lifecycle/' }, to: { path: '^src/store/steps/' } },
    { name: 'http-apart-from-mqtt', comment: 'Wire adapters do not import each other.', severity: 'error', from: { path: '^src/http/' }, to: { path: '^src/mqtt/' } },
    { name: 'mqtt-apart-from-http', comment: 'Wire adapters do not import each other.', severity: 'error', from: { path: '^src/mqtt/' }, to: { path: '^src/http/' } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a cycle of types is a cycle of ideas.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
