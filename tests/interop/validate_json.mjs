// Validates a JSON document against a published JSON Schema with ajv 8:
//   node validate_json.mjs NODE_MODULES fhir|dataset-json SCHEMA FILE...
// FHIR R5's fhir.schema.json is draft-06 with its id as `id` (ajv 8 wants
// `$id`) and regular expressions ajv's unicode mode refuses; Dataset-JSON's
// is draft 2019-09. A FHIR document is validated as a Bundle, so that the
// errors are the Bundle's, not every resource type's. Prints a line per
// file, "FILE: valid" or its errors, and exits 1 when any is not.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import path from "node:path";

const [modules, kind, schemaPath, ...files] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(modules), "noop.js"));
const schema = JSON.parse(readFileSync(schemaPath, "utf8"));
let ajv;
if (kind === "fhir") {
  const Ajv = require("ajv").default;
  schema.$id = schema.id;
  delete schema.id;
  delete schema.$schema;  // draft-06: ajv 8 reads it as draft-07, which it is a subset of
  ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
} else if (kind === "dataset-json") {
  const Ajv2019 = require("ajv/dist/2019").default;
  ajv = new Ajv2019({ strict: false, allErrors: true });
} else {
  console.log(`unknown kind ${kind}`);
  process.exit(2);
}
require("ajv-formats").default(ajv);
let validate;
if (kind === "fhir") {
  ajv.addSchema(schema);
  validate = ajv.getSchema(`${schema.$id}#/definitions/Bundle`);
} else {
  validate = ajv.compile(schema);
}
let failed = false;
for (const file of files) {
  const doc = JSON.parse(readFileSync(file, "utf8"));
  if (validate(doc)) {
    console.log(`${file}: valid`);
    continue;
  }
  failed = true;
  // A resource is tried against every type (oneOf): its own type's errors say what is wrong.
  let errors = validate.errors;
  if (kind === "fhir") {
    const own = [];
    (doc.entry || []).forEach((entry, i) => {
      const type = entry?.resource?.resourceType;
      const check = type && ajv.getSchema(`${schema.$id}#/definitions/${type}`);
      if (check && !check(entry.resource))
        for (const e of check.errors) own.push({ ...e, instancePath: `/entry/${i}/resource${e.instancePath}` });
    });
    if (own.length) errors = own;
  }
  for (const e of errors.slice(0, 20))
    console.log(`${file}: ${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`);
}
process.exit(failed ? 1 : 0);
