// One configured ajv instance for every JSON Schema in the project: request
// bodies, the unified message, flow documents.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

export const ajv = new Ajv2020({ allErrors: true, strict: true, useDefaults: false });
addFormats.default(ajv);
