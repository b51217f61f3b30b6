'use strict';
// Policy tests, static over the parsed configuration and the .tfvars files:
//   - no public member (allUsers, allAuthenticatedUsers) anywhere: IAM members, policy data,
//     ACL entities, variable defaults, tfvars;
//   - no primitive role (roles/owner, roles/editor, roles/viewer) anywhere;
//   - every google_storage_bucket has uniform_bucket_level_access = true and
//     public_access_prevention = "enforced" (literal values: an expression cannot be proven);
//   - every bucket is versioned, except one with a retention policy (Cloud Storage refuses
//     Object Versioning together with a retention policy, so having both is an error too);
//   - an archive bucket (its resource name or bucket name says archive) has a retention policy
//     and a lifecycle rule moving objects to the ARCHIVE storage class;
//   - no firewall rule lets in traffic from anywhere (0.0.0.0/0, ::/0).

const { blocks, lineOf } = require('./config');

const PUBLIC = /\b(allUsers|allAuthenticatedUsers)\b/;
const PRIMITIVE = /\broles\/(owner|editor|viewer)(?![\w.])/;
const OPEN_RANGES = new Set(['0.0.0.0/0', '::/0']);

function strings(value, out = []) {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) strings(k, out), strings(v, out);
  return out;
}

const first = (v) => (Array.isArray(v) ? v[0] : v);

function scanStrings(file, address, value, errors) {
  for (const s of strings(value)) {
    const pub = PUBLIC.exec(s);
    if (pub) errors.push(`${file.rel}:${lineOf(file.text, pub[1]) ?? 1} ${address}: public member ${pub[1]}`);
    const prim = PRIMITIVE.exec(s);
    if (prim) errors.push(`${file.rel}:${lineOf(file.text, prim[0]) ?? 1} ${address}: primitive role ${prim[0]}`);
  }
}

function checkBucket(b, errors) {
  const [, name] = b.labels;
  const body = b.body;
  const at = `${b.file.rel}:${lineOf(b.file.text, `"google_storage_bucket" "${name}"`) ?? 1} google_storage_bucket.${name}`;
  if (body.uniform_bucket_level_access !== true) {
    errors.push(`${at}: uniform_bucket_level_access must be true (got ${JSON.stringify(body.uniform_bucket_level_access)})`);
  }
  if (body.public_access_prevention !== 'enforced') {
    errors.push(`${at}: public_access_prevention must be "enforced" (got ${JSON.stringify(body.public_access_prevention)})`);
  }
  const retention = first(body.retention_policy);
  const versioned = first(body.versioning)?.enabled === true;
  if (retention && versioned) {
    errors.push(`${at}: has both a retention policy and versioning, which Cloud Storage refuses`);
  } else if (!retention && !versioned) {
    errors.push(`${at}: versioning must be enabled (versioning { enabled = true })`);
  }
  const isArchive = /archive/i.test(name) || (typeof body.name === 'string' && /archive/i.test(body.name));
  if (isArchive) {
    const period = retention && retention.retention_period;
    if (!retention || period === undefined || period === null || (typeof period === 'number' && period <= 0)) {
      errors.push(`${at}: archive bucket without a retention policy (retention_policy { retention_period = ... })`);
    }
    const rules = Array.isArray(body.lifecycle_rule) ? body.lifecycle_rule : [];
    const toArchive = rules.some((r) => {
      const action = first(r.action) || {};
      return action.type === 'SetStorageClass' && action.storage_class === 'ARCHIVE';
    });
    if (!toArchive) errors.push(`${at}: archive bucket without a lifecycle rule to the ARCHIVE storage class`);
  }
}

function checkFirewall(b, errors) {
  const [, name] = b.labels;
  const body = b.body;
  const direction = body.direction ?? 'INGRESS';
  const ranges = Array.isArray(body.source_ranges) ? body.source_ranges : [];
  const open = ranges.find((r) => OPEN_RANGES.has(r));
  if (direction === 'INGRESS' && open) {
    errors.push(`${b.file.rel}:${lineOf(b.file.text, open) ?? 1} google_compute_firewall.${name}: ingress from ${open}`);
  }
}

async function checkPolicy(tree) {
  const errors = [];
  for (const module of tree.modules.values()) {
    for (const file of module.files) {
      if (!file.json) continue;
      for (const [kind, value] of Object.entries(file.json)) scanStrings(file, kind, value, errors);
    }
    for (const b of blocks(module, 'resource')) {
      if (b.labels[0] === 'google_storage_bucket') checkBucket(b, errors);
      if (b.labels[0] === 'google_compute_firewall') checkFirewall(b, errors);
    }
  }
  for (const file of tree.tfvars) if (file.json) scanStrings(file, 'tfvars', file.json, errors);
  return [...new Set(errors)];
}

module.exports = { checkPolicy };
