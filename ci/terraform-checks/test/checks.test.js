'use strict';
// Self-test of the terraform checks: the real configuration passes every check, and each broken
// fixture (fixtures/*.json) fails exactly the check it targets, with the planted defect named.
// Run: node --test test/   (from ci/terraform-checks; ci/stages/terraform.sh runs it)

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { runChecks, CHECKS } = require('../check');
const { listFixtures, plant } = require('../lib/fixtures');

const ROOT = path.resolve(__dirname, '..', '..', '..', 'terraform');
const TERRAFORM = findTerraform();

function findTerraform() {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    const candidate = path.join(dir, 'terraform');
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return null;
}

function fmtCheck(dir) {
  const r = spawnSync(TERRAFORM, ['fmt', '-check', '-recursive', '-no-color', dir], { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test('the real configuration passes parse, references and policy', async () => {
  const { tree, results } = await runChecks(ROOT);
  assert.ok(tree.modules.size >= 5, `modules found: ${[...tree.modules.values()].map((m) => m.rel)}`);
  for (const name of CHECKS) assert.deepEqual(results[name], [], `${name} on the real configuration`);
});

test('the real configuration is terraform fmt clean', { skip: TERRAFORM ? false : 'no terraform binary on PATH' }, () => {
  const r = fmtCheck(ROOT);
  assert.equal(r.status, 0, r.out);
});

const fixtures = listFixtures();

test('there is a broken fixture for every check', () => {
  const covered = new Set(fixtures.map((f) => f.check));
  for (const name of [...CHECKS, 'fmt']) assert.ok(covered.has(name), `no fixture for ${name}`);
});

for (const fixture of fixtures) {
  const skip = fixture.check === 'fmt' && !TERRAFORM ? 'no terraform binary on PATH' : false;
  test(`fixture ${fixture.name}: ${fixture.check} fails (${fixture.description})`, { skip }, async () => {
    const copy = plant(ROOT, fixture);
    try {
      if (fixture.check === 'fmt') {
        const r = fmtCheck(copy);
        assert.notEqual(r.status, 0, 'terraform fmt -check passed on the broken copy');
        assert.ok(r.out.includes(fixture.expect), `fmt output names ${fixture.expect}:\n${r.out}`);
        return;
      }
      const { results } = await runChecks(copy);
      const errors = results[fixture.check];
      assert.ok(errors.length > 0, `${fixture.check} passed on the broken copy`);
      assert.ok(
        errors.some((e) => e.includes(fixture.expect)),
        `${fixture.check} should report "${fixture.expect}", reported:\n${errors.join('\n')}`,
      );
      // The defect is caught by its own check: the checks before it in order still pass.
      for (const earlier of CHECKS.slice(0, CHECKS.indexOf(fixture.check))) {
        assert.deepEqual(results[earlier], [], `${earlier} on fixture ${fixture.name}`);
      }
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });
}
