'use strict';
// References in terraform expressions. hcl2json renders every expression as a "${...}" template
// string; each is parsed back into HCL's expression tree (getExpressionAst) and walked, so
// references are found everywhere, including inside for-expression bodies and nested templates
// (hcl2json's own getReferencesInExpression skips those). Names bound by a for expression are
// in scope in its body.

const hcl = require('@cdktf/hcl2json');

const MARK = 'NIGHTSHIFT_EOT';

function isExpression(value) {
  return typeof value === 'string' && /(^|[^$])[$%]\{/.test(value);
}

function collect(node, scope, out) {
  if (!node || typeof node !== 'object') return;
  let inner = scope;
  if (node.type === 'for' && node.meta) {
    inner = new Set(scope);
    if (node.meta.keyVar) inner.add(node.meta.keyVar);
    if (node.meta.valVar) inner.add(node.meta.valVar);
  }
  if (node.type === 'scopeTraversal' && node.meta && Array.isArray(node.meta.traversal)) {
    const parts = node.meta.traversal.map((t) => (t.type === 'nameTraversal' ? t.segment : null));
    if (parts[0] && !scope.has(parts[0])) out.push({ parts, text: node.meta.value });
  }
  for (const child of node.children || []) collect(child, inner, out);
}

/**
 * The references of one expression string: [{ parts: ['var', 'x', ...], text }]. parts holds
 * the attribute names of the traversal (null for an index step such as [0] or ["k"]).
 */
async function references(file, value) {
  if (!isExpression(value)) return [];
  const ast = await hcl.getExpressionAst(file, `<<${MARK}\n${value}\n${MARK}\n`);
  const out = [];
  collect(ast, new Set(), out);
  return out;
}

module.exports = { references, isExpression };
