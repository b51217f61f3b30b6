'use strict';
// Reference check: in every module, each var.X is a declared variable, local.X a declared local,
// module.X a module block (and module.X.Y an output of that module), data.T.N a data block and
// T.N a resource; each module block gives every required variable of its source and nothing
// that is not a variable there; each .tfvars file sets only declared variables (and an example
// file sets every required one).

const path = require('node:path');
const { blocks, declarations, lineOf } = require('./config');
const { references } = require('./expressions');

const BUILTIN_ROOTS = new Set(['count', 'each', 'self', 'path', 'terraform']);
const MODULE_META = new Set(['source', 'version', 'providers', 'count', 'for_each', 'depends_on']);

function unquote(value) {
  const m = /^\$\{([A-Za-z_][A-Za-z0-9_-]*)\}$/.exec(value || '');
  return m ? m[1] : null;
}

/** Every expression string of a block body with the names in scope there. */
function expressions(value, scope, out, skipKeys = new Set()) {
  if (typeof value === 'string') {
    out.push({ value, scope });
  } else if (Array.isArray(value)) {
    for (const v of value) expressions(v, scope, out);
  } else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (skipKeys.has(key)) continue;
      if (key === 'dynamic' && v && typeof v === 'object' && !Array.isArray(v)) {
        for (const [label, bodies] of Object.entries(v)) {
          for (const body of bodies) {
            const iterator = unquote(body.iterator) || label;
            const inner = new Set(scope).add(iterator);
            expressions(body.for_each, scope, out);
            expressions(body.content, inner, out);
            expressions(body.labels, inner, out);
          }
        }
      } else if (key === 'lifecycle') {
        // ignore_changes lists attribute names, not references.
        expressions(v, scope, out, new Set(['ignore_changes']));
      } else {
        expressions(v, scope, out);
      }
    }
  }
}

function moduleTarget(tree, fromModule, body) {
  const source = body.source;
  if (typeof source !== 'string' || !/^\.\.?\//.test(source)) return { local: false };
  const dir = path.resolve(fromModule.dir, source);
  return { local: true, dir, module: tree.modules.get(dir), source };
}

async function checkReferences(tree) {
  const errors = [];
  const decls = new Map([...tree.modules.values()].map((m) => [m.dir, declarations(m)]));

  for (const module of tree.modules.values()) {
    const decl = decls.get(module.dir);
    const where = (file, needle, address) => `${file.rel}:${lineOf(file.text, needle) ?? 1} ${address}`;

    const items = [];
    for (const kind of ['variable', 'locals', 'output', 'module', 'provider', 'resource', 'data', 'moved', 'import', 'check']) {
      for (const b of blocks(module, kind)) {
        const address = kind === 'resource' ? b.labels.join('.') : [kind, ...b.labels].join('.');
        const found = [];
        expressions(b.body, new Set(), found, kind === 'variable' ? new Set(['type']) : new Set());
        for (const f of found) items.push({ ...f, file: b.file, address });
      }
    }

    for (const item of items) {
      let refs;
      try {
        refs = await references(item.file.rel, item.value);
      } catch (e) {
        errors.push(`${item.file.rel} ${item.address}: expression does not parse: ${e.message}`);
        continue;
      }
      for (const ref of refs) {
        const [root, a, b] = ref.parts;
        const at = where(item.file, ref.text, item.address);
        if (BUILTIN_ROOTS.has(root) || item.scope.has(root)) continue;
        if (root === 'var') {
          if (!decl.variables.has(a)) errors.push(`${at}: var.${a} is not declared (no variable "${a}" in ${module.rel})`);
        } else if (root === 'local') {
          if (!decl.locals.has(a)) errors.push(`${at}: local.${a} is not declared (no such local in ${module.rel})`);
        } else if (root === 'module') {
          const called = decl.modules.get(a);
          if (!called) {
            errors.push(`${at}: module.${a} is not declared (no module "${a}" in ${module.rel})`);
          } else if (b) {
            const target = moduleTarget(tree, module, called.body);
            if (target.module && !decls.get(target.dir).outputs.has(b)) {
              errors.push(`${at}: module.${a}.${b}: ${target.source} has no output "${b}"`);
            }
          }
        } else if (root === 'data') {
          if (!decl.data.has(`${a}.${b}`)) errors.push(`${at}: data.${a}.${b} is not declared (no data "${a}" "${b}" in ${module.rel})`);
        } else if (a) {
          if (!decl.resources.has(`${root}.${a}`)) errors.push(`${at}: ${root}.${a} is not declared (no resource "${root}" "${a}" in ${module.rel})`);
        } else {
          errors.push(`${at}: unknown name "${root}"`);
        }
      }
    }

    // Module calls: inputs against the called module's variables.
    for (const [name, call] of decl.modules) {
      const target = moduleTarget(tree, module, call.body);
      const at = where(call.file, `module "${name}"`, `module.${name}`);
      if (!target.local) continue;
      if (!target.module) {
        errors.push(`${at}: source ${target.source} has no .tf file`);
        continue;
      }
      const vars = decls.get(target.dir).variables;
      const inputs = Object.keys(call.body).filter((k) => !MODULE_META.has(k));
      for (const input of inputs) {
        if (!vars.has(input)) errors.push(`${at}: input "${input}" is not a variable of ${target.source}`);
      }
      for (const [v, info] of vars) {
        if (info.required && !inputs.includes(v)) errors.push(`${at}: required input "${v}" of ${target.source} is not given`);
      }
    }
  }

  // .tfvars files: only declared variables; an example sets every required one.
  for (const file of tree.tfvars) {
    if (!file.json) continue;
    const module = tree.modules.get(path.dirname(file.path));
    if (!module) {
      errors.push(`${file.rel}: no module (.tf files) beside it`);
      continue;
    }
    const vars = decls.get(module.dir).variables;
    for (const key of Object.keys(file.json)) {
      if (!vars.has(key)) errors.push(`${file.rel}:${lineOf(file.text, key) ?? 1}: "${key}" is not a variable of ${module.rel}`);
    }
    if (file.rel.endsWith('.example')) {
      for (const [v, info] of vars) {
        if (info.required && !(v in file.json)) errors.push(`${file.rel}: required variable "${v}" is missing from the example`);
      }
    }
  }
  return errors;
}

module.exports = { checkReferences };
