/**
 * The boundaries of STYLE.md ("The shape of the house", "Code"), made executable:
 *   npm run boundaries   (depcruise --config .dependency-cruiser.cjs apps libs)
 *
 * A lib is `libs/<name>/` or, for adapters, `libs/adapters/<system>/`.
 */
const TESTS = '(\\.spec|\\.int-spec)\\.ts$|/__fixtures__/|/testing/|^apps/[^/]+/test/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Cycles make load order matter and hide which module owns what.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'events-depends-on-nothing',
      severity: 'error',
      comment: 'libs/events is the contract every other lib and app shares; it imports no other lib or app.',
      from: { path: '^libs/events/' },
      to: { path: '^(libs|apps)/', pathNot: '^libs/events/' },
    },
    {
      name: 'events-npm-only-ajv',
      severity: 'error',
      comment: 'libs/events may use ajv (+ ajv-formats) to validate its JSON Schemas and no other package.',
      from: { path: '^libs/events/', pathNot: TESTS },
      to: {
        dependencyTypes: [
          'npm',
          'npm-dev',
          'npm-optional',
          'npm-peer',
          'npm-bundled',
          'npm-no-pkg',
          'npm-unknown',
        ],
        pathNot: 'node_modules/(ajv|ajv-formats)/',
      },
    },
    {
      name: 'adapters-not-persistence-or-messaging',
      severity: 'error',
      comment: 'Adapters do I/O with their upstream only; storing and publishing is the app’s job.',
      from: { path: '^libs/adapters/' },
      to: { path: '^libs/(persistence|messaging)/' },
    },
    {
      name: 'apps-not-other-apps',
      severity: 'error',
      comment: 'Apps are deployed separately; share code through a lib.',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'libs-not-apps',
      severity: 'error',
      comment: 'Libs are used by apps, never the other way round.',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'cross-lib-through-alias',
      severity: 'error',
      comment:
        'Use another lib through its @isohub/* alias (its index.ts), not a relative path into its files.',
      from: { path: '^libs/(adapters/[^/]+|[^/]+)/' },
      to: {
        path: '^libs/',
        pathNot: ['^libs/$1/', '^libs/(adapters/[^/]+|[^/]+)/src/index\\.ts$'],
      },
    },
    {
      name: 'apps-use-libs-through-alias',
      severity: 'error',
      comment: 'Apps use a lib through its @isohub/* alias (its index.ts), not a path into its files.',
      from: { path: '^apps/' },
      to: { path: '^libs/', pathNot: '^libs/(adapters/[^/]+|[^/]+)/src/index\\.ts$' },
    },
    {
      name: 'test-support-only-in-tests',
      severity: 'error',
      comment: 'The root test/ folder (scenarios, test support) is for tests, never for shipped code.',
      from: { path: '^(apps|libs)/', pathNot: TESTS },
      to: { path: '^test/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve is a typo or a missing dependency in package.json.',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-non-package-json',
      severity: 'error',
      comment: 'Importing a package that package.json does not list works only by hoisting accident.',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'not-to-dev-dep',
      severity: 'error',
      comment: 'Production images install dependencies only; devDependencies belong to tests and tooling.',
      // The admin console (apps/admin/web) is bundled at build time: react and vite never reach an image.
      from: { path: '^(apps|libs)/', pathNot: `${TESTS}|^apps/admin/web/` },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Only build output; never node_modules, or npm dependencies vanish from the graph.
    exclude: { path: '^(dist|apps/admin/web/dist)/' },
    // Type-only imports count: a boundary is about what a module knows, not only what it loads.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
