/**
 * Import rules (ARCHITECTURE.md, issue 11): `npm run lint:imports`, run by .ci/run after the type
 * check. TypeScript 7 has no compiler API for dependency-cruiser, so @swc/core parses the sources
 * (type-only imports count: they are dependencies of the design all the same).
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'src/domain is the pure core: nothing else of ours, no I/O, no npm package but libphonenumber-js.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { pathNot: ['^src/domain/', '(^|/)node_modules/libphonenumber-js/'] },
    },
    {
      name: 'vendors-not-store-or-http',
      comment: 'A vendor is data in, data out: no store, no HTTP, no provisioning service, no composition (the kit it needs is src/vendors/shared/).',
      severity: 'error',
      from: { path: '^src/vendors/' },
      to: { path: ['^src/store/', '^src/http/', '^src/provisioning/', '^src/app[.]ts$', '^src/compose[.]ts$'] },
    },
    {
      name: 'store-not-features',
      comment: 'The store is generic: a feature adds its collection to Collections from its own file (declare module).',
      severity: 'error',
      from: { path: '^src/store/' },
      to: { path: ['^src/services/', '^src/notify/', '^src/provisioning/', '^src/http/', '^src/vendors/', '^src/pbx/', '^src/jobs/', '^src/app[.]ts$', '^src/compose[.]ts$'] },
    },
    {
      name: 'http-by-audience',
      comment: 'src/http is grouped by who calls it: phone routes and API routes import neither each other nor the dashboard (shared middleware sits at the root).',
      severity: 'error',
      from: { path: '^src/http/(phone|api)/' },
      to: { path: '^src/http/', pathNot: ['^src/http/$1/', '^src/http/[^/]+$'] },
    },
    {
      name: 'no-folder-cycles',
      comment: 'No two folders import each other, directly or around a loop.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-module-cycles',
      comment: 'Two modules that import each other, even inside one folder: none remain (ARCHITECTURE.md).',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    parser: 'swc',
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
