// Jest transformer: TypeScript via SWC (with decorator metadata for Nest), and the ESM-only
// packages Nest 12 ships (and a few of their dependencies) compiled to CommonJS, because Jest's
// CommonJS runtime on Node 20 cannot require() ES modules. CommonJS files pass through untouched.
const { pathToFileURL } = require('node:url');
const { createTransformer } = require('@swc/jest');

const swc = createTransformer({
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
});

const LOOKS_ESM = /^\s*(import\s|import\{|export\s|export\{)/m;

module.exports = {
  process(src, file, options) {
    if (file.includes('/node_modules/') && !LOOKS_ESM.test(src) && !src.includes('import.meta')) {
      return { code: src };
    }
    // import.meta has no CommonJS equivalent in SWC's output; give it the file URL it means.
    const patched = src.replace(/import\.meta\.url/g, JSON.stringify(pathToFileURL(file).href));
    return swc.process(patched, file, options);
  },
  getCacheKey(src, file, options) {
    return `${swc.getCacheKey(src, file, options)}:reelay-esm-2`;
  },
};
