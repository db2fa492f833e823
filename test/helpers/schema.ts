import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '../../schema/output-v1.json'), 'utf8')) as object;
const ajv = new Ajv2020({ allErrors: true, strict: false });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
const validate = ajv.compile(schema);

/** Validates a command's --output json against schema/output-v1.json; returns the errors as text. */
export function schemaErrors(json: unknown): string {
  return validate(json) ? '' : ajv.errorsText(validate.errors);
}
