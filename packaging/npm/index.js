'use strict';
// The paths of the packaged data: the vectors (vectors/v311, vectors/v5, their schemas and
// documents), the checks files and the manifest (every file's SHA-256). Data only: run the
// checks with the reference runner (the Python package `mqtt-vectors`) or your own runner of
// the checks format (vectors/schema/checks.schema.json).
const path = require('path');

const root = __dirname;

module.exports = {
  version: require('./package.json').version,
  root,
  vectors: path.join(root, 'vectors'),
  checks: {
    '3.1.1': path.join(root, 'checks', 'checks-3.1.1.json'),
    '5.0': path.join(root, 'checks', 'checks-5.0.json'),
  },
  manifest: path.join(root, 'manifest.json'),
};
