// openapi-backend's CommonJS build requires @apidevtools/json-schema-ref-parser, which is ESM-only;
// jest's module system cannot load it. The sandbox never calls it (it inlines the spec's `$ref`s
// itself and runs openapi-backend in `quick` mode), so under jest it is replaced by this stub
// (package.json → jest.moduleNameMapper). `parse` of an in-memory document is the identity.
const unused = async () => {
  throw new Error('json-schema-ref-parser is not available under jest');
};
module.exports = { __esModule: true, default: { dereference: unused, parse: async (doc) => doc, resolve: unused } };
