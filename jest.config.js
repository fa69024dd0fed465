// `npm test` runs the unit suite once and every integration/e2e suite on SQLite, then again on
// MySQL when TEST_MYSQL_URL is set (.ci/run always sets it).
const base = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j|mj|cj)s$': '<rootDir>/tools/jest/esm-transform.js' },
  transformIgnorePatterns: [],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
};

const e2e = (db) => ({
  ...base,
  displayName: db,
  // Middle-tier suites (services on a real database, no HTTP) and e2e suites, on each database.
  testMatch: ['<rootDir>/test/medium/**/*.medium-spec.ts', '<rootDir>/test/e2e/**/*.e2e-spec.ts'],
  setupFiles: [`<rootDir>/test/setup/${db}.ts`],
});

const projects = [{ ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.spec.ts'] }, e2e('sqlite')];
if (process.env.TEST_MYSQL_URL) projects.push(e2e('mysql'));

// Suites wait on databases more than on CPU, so two workers keep both cores busy.
module.exports = { projects, testTimeout: 120000, maxWorkers: 2 };
