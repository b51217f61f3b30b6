#!/usr/bin/env node
'use strict';
// Offline checks of a terraform tree (no provider download, no network):
//   node check.js [--only=parse,references,policy] <terraform dir>
// parse:       every .tf and .tfvars file parses with HashiCorp's HCL parser;
// references:  every var./local./module./data./resource reference and module input is declared;
// policy:      no public member, no primitive role, buckets with uniform access, public access
//              prevention, versioning, and an archive bucket with retention (lib/policy.js).
// Prints one line per problem and a summary; exits 1 when any check fails.

const path = require('node:path');
const { loadTree } = require('./lib/config');
const { checkReferences } = require('./lib/references');
const { checkPolicy } = require('./lib/policy');

const CHECKS = ['parse', 'references', 'policy'];

/** Runs the named checks on root: { tree, results: { name: [errors] } }. */
async function runChecks(root, only = CHECKS) {
  const tree = await loadTree(root);
  const results = { parse: tree.errors };
  const parsed = tree.errors.length === 0;
  if (only.includes('references')) results.references = parsed ? await checkReferences(tree) : ['not run: the files do not parse'];
  if (only.includes('policy')) results.policy = parsed ? await checkPolicy(tree) : ['not run: the files do not parse'];
  return { tree, results };
}

async function main(argv) {
  const onlyArg = argv.find((a) => a.startsWith('--only='));
  const only = onlyArg ? onlyArg.slice('--only='.length).split(',') : CHECKS;
  const unknown = only.filter((c) => !CHECKS.includes(c));
  const dirs = argv.filter((a) => !a.startsWith('--'));
  if (unknown.length || dirs.length !== 1) {
    console.error(`usage: node check.js [--only=${CHECKS.join(',')}] <terraform dir>`);
    return 2;
  }
  const { tree, results } = await runChecks(dirs[0], only);
  const files = [...tree.modules.values()].reduce((n, m) => n + m.files.length, 0) + tree.tfvars.length;
  let failed = 0;
  for (const name of only) {
    const errors = results[name] || [];
    console.log(`${errors.length ? 'FAIL' : 'ok  '} ${name}: ${errors.length ? `${errors.length} problem(s)` : describe(name, tree, files)}`);
    for (const e of errors) console.log(`     ${e}`);
    if (errors.length) failed++;
  }
  console.log(`terraform checks on ${path.relative(process.cwd(), tree.root) || '.'}: ${only.length - failed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

function describe(name, tree, files) {
  if (name === 'parse') return `${files} files in ${tree.modules.size} modules`;
  if (name === 'references') return 'every reference, module input and tfvars key declared';
  return 'no public member, no primitive role, buckets uniform + PAP + versioned/retained, archive retained';
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (e) => {
    console.error(e.stack || String(e));
    process.exit(2);
  });
}

module.exports = { runChecks, CHECKS };
