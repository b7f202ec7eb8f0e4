/**
 * Quality gate: every page the build writes is valid HTML by html-validate's recommended rules
 * (configuration in `.htmlvalidate.json` at the repository root; the rules it configures are
 * explained in the README, "Quality gates"). Three sites are built with the real CLI: the demo
 * content, the hostile-content fixture (markup in every field) and the stop-codes fixture. Every
 * `.html` file is checked, redirect stubs included. It lives with the browser tests because it
 * builds sites, not because it needs a browser.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { HtmlValidate, StaticConfigLoader, type ConfigData, type Message } from 'html-validate';
import { filesBelow, runKb, tempDir } from '../support/build.ts';

const SITES = [
  { name: 'demo content', content: 'content', minPages: 40 },
  { name: 'hostile fixture', content: 'test/fixtures/hostile', minPages: 20 },
  { name: 'stop-codes fixture', content: 'test/fixtures/stop-codes-site', minPages: 40 },
] as const;

/**
 * Problems that are known, not in the layouts, and tracked elsewhere. Each entry must still occur
 * (the test says when one can be removed), so the list cannot grow stale.
 */
const KNOWN: Array<{ site: string; file: string; rules: string[]; why: string }> = [];

const config = JSON.parse(await readFile('.htmlvalidate.json', 'utf8')) as ConfigData;
const htmlvalidate = new HtmlValidate(new StaticConfigLoader(config));

/** Every .html file below `dir`, as paths relative to it, sorted. */
async function htmlFiles(dir: string): Promise<string[]> {
  return (await filesBelow(dir)).filter((file) => file.endsWith('.html'));
}

/** "file\n  rule ×n: line:col message; …" for each file and rule, the way a person fixes them. */
function describeProblems(problems: Map<string, Message[]>): string {
  const lines: string[] = [];
  for (const [file, messages] of problems) {
    lines.push(file);
    const byRule = new Map<string, Message[]>();
    for (const m of messages) byRule.set(m.ruleId, [...(byRule.get(m.ruleId) ?? []), m]);
    for (const [rule, ms] of byRule) {
      const where = ms.slice(0, 5).map((m) => `${m.line}:${m.column} ${m.message}`).join('; ');
      lines.push(`  ${rule} ×${ms.length}: ${where}${ms.length > 5 ? '; …' : ''}`);
    }
  }
  return lines.join('\n');
}

for (const site of SITES) {
  describe(`HTML validity: ${site.name} (${site.content})`, () => {
    let outputDir: string;
    let files: string[];

    before(async () => {
      outputDir = path.join(await tempDir('html-validity'), '_site');
      const run = await runKb(['build', '--content', site.content, '--output', outputDir, '--quiet']);
      assert.equal(run.exitCode, 0, run.stderr);
      files = await htmlFiles(outputDir);
    });

    test('every built page, redirect stubs included, passes html-validate:recommended', async () => {
      assert.ok(files.length >= site.minPages, `found the built pages (${files.length})`);
      const known = KNOWN.filter((k) => k.site === site.name);
      const problems = new Map<string, Message[]>();
      const knownSeen = new Set<(typeof KNOWN)[number]>();
      for (const file of files) {
        const report = await htmlvalidate.validateFile(path.join(outputDir, file));
        for (const result of report.results) {
          for (const message of result.messages) {
            const k = known.find((k) => k.file === file && k.rules.includes(message.ruleId));
            if (k) {
              knownSeen.add(k);
              continue;
            }
            problems.set(file, [...(problems.get(file) ?? []), message]);
          }
        }
      }
      assert.equal(problems.size, 0, `${problems.size} of ${files.length} pages are not valid HTML:\n${describeProblems(problems)}`);
      for (const k of known) assert.ok(knownSeen.has(k), `${k.file} no longer has ${k.rules.join('/')}: remove its entry from KNOWN in this test`);
    });

    if (site.name === 'demo content') {
      test('the pages checked include every kind: article, legacy article, redirect stubs, search, stop code, file, product', () => {
        for (const file of ['index.html', 'kb/2792165/index.html', 'kb/243852/index.html', 'kb/Q2792165/index.html', 'kb/243/Q243852/index.html', 'stop/0x24/index.html', 'search/index.html', 'stop/0x00000024/index.html', 'files/ntfs.sys/index.html', 'products/index.html', 'products/windows-server-2008/index.html']) {
          assert.ok(files.includes(file), `${file} was built and checked`);
        }
      });
    }
  });
}
