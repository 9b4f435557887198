// Validates a USDM document against the published API's JSON Schemas with
// ajv 8 (JSON Schema 2020-12), as the USDM publishers' README says (tests/interop/README.md):
//   node validate_usdm.mjs NODE_MODULES USDM_API.json DOCUMENT.json
// Exit 0 and "valid" when it validates; exit 1 and ajv's errors when not.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const [, , modules, apiPath, docPath] = process.argv;
const require = createRequire(join(resolve(modules), 'noop.js'));
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats').default;

// The OpenAPI document's components become the schema's $defs.
const api = readFileSync(apiPath, 'utf8').replaceAll('#/components/schemas/', '#/$defs/');
const schemas = JSON.parse(api).components.schemas;
const root = { $schema: 'https://json-schema.org/draft/2020-12/schema', $defs: schemas, $ref: '#/$defs/Wrapper-Input' };

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(root);
const doc = JSON.parse(readFileSync(docPath, 'utf8'));
if (validate(doc)) {
  console.log('valid');
} else {
  for (const e of validate.errors.slice(0, 20)) console.log(`${e.instancePath || '/'}: ${e.message}`);
  process.exit(1);
}
