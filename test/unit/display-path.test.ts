import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { displayPath, displayPathFrom, pathBelow } from '../../src/display-path.ts';
import { isSkippedPath } from '../../src/article/load.ts';

test('pathBelow gives what path.relative gives for a path plainly inside the folder, and nothing for any other', () => {
  const dirs = ['/srv/kb/content', '/srv/kb/content/', 'content', './content', '/srv/kb/../kb/content', '/', ''];
  const files = ['/srv/kb/content/155/Q155954/README.md', '/srv/kb/content/kb/2792165/index.md', '/srv/kb/content', '/srv/kb/contents/x.md', '/srv/kb/content/./a.md', '/srv/kb/content/a/../b.md', '/srv/kb/content//a.md', 'content/kb/1/index.md', 'content/_drafts/x.md', '/srv/kb/content/.git/x.md', '/srv/kb/content/..x/a.md', '/srv/kb/content/a.md/'];
  let plain = 0;
  for (const dir of dirs) {
    for (const file of files) {
      const below = pathBelow(dir, file);
      if (below === undefined) continue;
      plain++;
      assert.equal(below, path.relative(dir, file), `${dir} ${file}`);
    }
  }
  assert.ok(plain >= 8, 'most plain paths take the quick way');
  assert.equal(pathBelow('/srv/kb/content', '/srv/kb/content/a/../b.md'), undefined);
  assert.equal(pathBelow('/srv/kb/content', '/srv/kb/contents/x.md'), undefined, 'a sibling whose name begins the same');
  assert.equal(pathBelow('/srv/kb/content', '/srv/kb/content'), undefined, 'the folder itself');
  assert.equal(pathBelow('/srv/kb/content', '/srv/kb/content/..x/a.md'), '..x/a.md', 'a name that begins with two dots is a name');
});

test('displayPathFrom gives what path.relative says, for paths below, beside, above and elsewhere', () => {
  const reference = (cwd: string, p: string) => {
    const rel = path.relative(cwd, p);
    return !rel ? '.' : rel.startsWith('..') ? p : rel;
  };
  const cwds = ['/work/main', '/work/main/', '/', '/work', '/tmp/s13', '/work/./main', '/work//main'];
  const paths = ['/work/main/content/kb/1/index.md', '/work/main', '/work/mainly/x.md', '/work', '/', '/tmp/p60/content/155/Q155954/README.md', '/work/main/../main/x.md', '/work/main/..x/a.md', '/work//main/x.md', 'content/x.md', './x.md', '/tmp/p60/content/'];
  for (const cwd of cwds) for (const p of paths) assert.equal(displayPathFrom(cwd, p), reference(cwd, p), `from ${cwd}: ${p}`);
});

test('displayPath and isSkippedPath give the same answers by either way', () => {
  const cwd = process.cwd();
  for (const p of [path.join(cwd, 'content/kb/1/index.md'), `${cwd}/content/./kb/1/index.md`, `${cwd}/../elsewhere/x.md`, cwd, 'content/kb/1/index.md']) {
    const rel = path.relative(cwd, p);
    assert.equal(displayPath(p), !rel ? '.' : rel.startsWith('..') ? p : rel, p);
  }
  assert.equal(isSkippedPath('/srv/content', '/srv/content/_drafts/a.md'), true);
  assert.equal(isSkippedPath('/srv/content', '/srv/content/kb/.hidden.md'), true);
  assert.equal(isSkippedPath('/srv/content', '/srv/content/kb/1/index.md'), false);
  assert.equal(isSkippedPath('/srv/content/', '/srv/content/kb/1/index.md'), false);
  assert.equal(isSkippedPath('/srv/content', '/srv/content/./kb/1/index.md'), false, 'a . segment is no hidden folder');
});
