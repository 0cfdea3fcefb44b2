/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }],
    // jose ships only ES modules; jest's own loader needs them as CommonJS.
    '/node_modules/jose/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  testTimeout: 120000,
  setupFiles: ['<rootDir>/test/support/jest-setup.ts'],
  setupFilesAfterEnv: ['<rootDir>/test/support/jest-after-env.ts'],
  // One private PostgreSQL per run (test/support/postgres.ts); test files get fresh databases from it.
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/postgres-global-teardown.ts',
  // Temporal servers are real processes; one test file at a time keeps 2 cores honest.
  maxWorkers: 1,
};
