/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  testTimeout: 120000,
  setupFiles: ['<rootDir>/test/support/jest-setup.ts'],
  // Temporal servers are real processes; one test file at a time keeps 2 cores honest.
  maxWorkers: 1,
};
