// Jest for the leaklsp/testing suite: no transform, so the example files
// run as written and the heap reports their own lines (babel-jest would
// rewrite them; a project that transforms must ship source maps).
module.exports = {
  rootDir: __dirname,
  testMatch: ['**/*.test.cjs'],
  transform: {},
  testEnvironment: 'node',
};
