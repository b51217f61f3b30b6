'use strict';
// Broken fixtures: each fixtures/<name>.json plants one defect in a fresh copy of the real
// configuration (find -> replace in one file), names the check that must catch it, and the
// message that check must give. Copies are made at test time, so a fixture always tests the
// configuration as it is today; a fixture whose `find` no longer occurs exactly once fails
// loudly instead of silently testing nothing.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const FIXTURES = path.join(__dirname, '..', 'fixtures');

function listFixtures() {
  return fs
    .readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: f.replace(/\.json$/, ''), ...JSON.parse(fs.readFileSync(path.join(FIXTURES, f), 'utf8')) }));
}

/** Copies root into a new temporary folder and plants the fixture's defect; returns the copy. */
function plant(root, fixture) {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), `nightshift-tf-${fixture.name}-`));
  fs.cpSync(root, copy, { recursive: true, filter: (src) => !/[\\/]\.terraform([\\/]|$)/.test(src) });
  const file = path.join(copy, fixture.file);
  const text = fs.readFileSync(file, 'utf8');
  const count = text.split(fixture.find).length - 1;
  if (count !== 1) {
    throw new Error(`fixture ${fixture.name}: "find" occurs ${count} times in ${fixture.file} (must be exactly once); update the fixture`);
  }
  fs.writeFileSync(file, text.replace(fixture.find, () => fixture.replace));
  return copy;
}

module.exports = { listFixtures, plant };
