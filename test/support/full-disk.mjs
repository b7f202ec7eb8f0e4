// Preloaded into a `kb` process (node --import) by test/unit/write-failures.test.ts: the disk "fills
// up" at one kind of write, which fails as Linux fails it (ENOSPC), so that the test sees what a
// user with a full disk sees. KB_TEST_FULL_DISK says where:
//   pages: Eleventy's third page written into a staging folder (Eleventy writes with fs.writeFileSync);
//   state: the build state saved after the site is in place (half of it written, then the failure).
import fs from 'node:fs';
import fsPromises from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';

function noSpace() {
  return Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
}

const where = process.env.KB_TEST_FULL_DISK;
if (where === 'pages') {
  const writeFileSync = fs.writeFileSync;
  let pages = 0;
  fs.writeFileSync = function (file, ...rest) {
    if (typeof file === 'string' && /\.building-\d+\/.*\.html$/.test(file) && ++pages > 2) throw noSpace();
    return writeFileSync.call(this, file, ...rest);
  };
} else if (where === 'state') {
  const writeFile = fsPromises.writeFile;
  fsPromises.writeFile = async function (file, data, ...rest) {
    if (typeof file === 'string' && /state\.v8\.\d+\.tmp$/.test(file)) {
      await writeFile(file, data.subarray(0, data.length >> 1));
      throw noSpace();
    }
    return writeFile.call(this, file, data, ...rest);
  };
  // kbsite imports writeFile by name; this makes the name see the replacement.
  syncBuiltinESMExports();
} else {
  throw new Error(`KB_TEST_FULL_DISK must be "pages" or "state", not ${where}`);
}
