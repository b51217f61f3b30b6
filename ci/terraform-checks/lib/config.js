'use strict';
// Loads a terraform tree offline: every .tf file parsed by HashiCorp's HCL parser (compiled to
// WebAssembly in @cdktf/hcl2json), grouped by directory (one directory = one module), plus the
// .tfvars files. Expressions come back as "${...}" strings; lib/expressions.js reads them.

const fs = require('node:fs');
const path = require('node:path');
const hcl = require('@cdktf/hcl2json');

const SKIP_DIRS = new Set(['.terraform', 'node_modules', '.git']);

function walk(dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) walk(full, out);
    } else if (/\.tf$|\.tfvars$|\.tfvars\.example$/.test(entry.name)) {
      out.push(full);
    }
  }
  return out;
}

/** 1-based line of the first occurrence of needle in text, or undefined. */
function lineOf(text, needle) {
  const at = text.indexOf(needle);
  return at < 0 ? undefined : text.slice(0, at).split('\n').length;
}

/**
 * Parses every file under root. Returns { root, modules: Map<dir, Module>, tfvars: File[],
 * errors: string[] } where a Module is { dir, files: File[] } and a File is
 * { path, rel, text, json }. A file that does not parse is an error and has json = null.
 */
async function loadTree(root) {
  root = path.resolve(root);
  const modules = new Map();
  const tfvars = [];
  const errors = [];
  const files = walk(root);
  if (!files.some((f) => f.endsWith('.tf'))) errors.push(`${root}: no .tf file found`);
  for (const file of files) {
    const rel = path.relative(root, file);
    const text = fs.readFileSync(file, 'utf8');
    let json = null;
    try {
      json = await hcl.parse(rel, text);
    } catch (e) {
      errors.push(`${rel}: does not parse: ${String(e.message).replace(/^parse config: /, '')}`);
    }
    const entry = { path: file, rel, text, json };
    if (file.endsWith('.tf')) {
      const dir = path.dirname(file);
      if (!modules.has(dir)) modules.set(dir, { dir, rel: path.relative(root, dir) || '.', files: [] });
      modules.get(dir).files.push(entry);
    } else {
      tfvars.push(entry);
    }
  }
  return { root, modules, tfvars, errors };
}

/** Blocks of one kind across a module's files: [{ file, labels: [...], body }]. */
function blocks(module, kind) {
  const out = [];
  for (const file of module.files) {
    const top = file.json && file.json[kind];
    if (!top) continue;
    if (kind === 'locals' || kind === 'terraform') {
      for (const body of top) out.push({ file, labels: [], body });
    } else if (kind === 'resource' || kind === 'data') {
      for (const [type, byName] of Object.entries(top)) {
        for (const [name, bodies] of Object.entries(byName)) {
          for (const body of bodies) out.push({ file, labels: [type, name], body });
        }
      }
    } else {
      for (const [name, bodies] of Object.entries(top)) {
        for (const body of bodies) out.push({ file, labels: [name], body });
      }
    }
  }
  return out;
}

/** What a module declares: variables (name -> { required }), locals, outputs, modules, resources, data. */
function declarations(module) {
  const variables = new Map();
  for (const b of blocks(module, 'variable')) {
    variables.set(b.labels[0], { required: !Object.prototype.hasOwnProperty.call(b.body, 'default'), file: b.file });
  }
  const locals = new Set();
  for (const b of blocks(module, 'locals')) for (const k of Object.keys(b.body)) locals.add(k);
  const outputs = new Set(blocks(module, 'output').map((b) => b.labels[0]));
  const modules = new Map(blocks(module, 'module').map((b) => [b.labels[0], b]));
  const resources = new Set(blocks(module, 'resource').map((b) => `${b.labels[0]}.${b.labels[1]}`));
  const data = new Set(blocks(module, 'data').map((b) => `${b.labels[0]}.${b.labels[1]}`));
  return { variables, locals, outputs, modules, resources, data };
}

module.exports = { loadTree, blocks, declarations, lineOf };
