/**
 * The content survey (src/article/survey.ts): the files and signatures a build gets from the thread
 * that lists the content folder are those it would have found itself.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { deserialize } from 'node:v8';
import { statSync } from 'node:fs';
import path from 'node:path';
import { findArticleFiles, loadArticles } from '../../src/article/load.ts';
import { ParseCache } from '../../src/article/parse-cache.ts';
import { surveyContent, surveysFinished } from '../../src/article/survey.ts';
import { tempDir } from '../support/build.ts';

test('the survey lists every article file and files.yaml with the size and modification time stat gives', async () => {
  const survey = await surveyContent('content');
  assert.ok(survey);
  const articles = await findArticleFiles('content');
  for (const file of articles) assert.ok(survey.has(file), `${file} is surveyed`);
  const yamls = [...survey.keys()].filter((file) => path.basename(file) === 'files.yaml');
  assert.ok(yamls.length > 0, 'the demo has files.yaml files, and they are surveyed');
  for (const [file, { size, mtimeMs }] of survey) {
    const st = statSync(file);
    assert.deepEqual({ size, mtimeMs }, { size: st.size, mtimeMs: st.mtimeMs }, file);
    assert.ok(file.endsWith('.md') || path.basename(file) === 'files.yaml', `${file} is an article or its file data`);
  }
});

test('articles loaded with a survey are those loaded without: the same files, signatures and articles; an edited files.yaml is seen', async () => {
  const dir = await tempDir('survey');
  const content = path.join(dir, 'content');
  await cp('content', content, { recursive: true });
  const plain = await loadArticles(content, { cache: new ParseCache(null, 'test') });
  const surveyed = await loadArticles(content, { cache: new ParseCache(null, 'test'), survey: surveyContent(content) });
  assert.deepEqual(surveyed.files, plain.files);
  assert.deepEqual(surveyed.sources, plain.sources);
  assert.deepEqual(surveyed.articles, plain.articles);

  // A files.yaml edited (same size, later time) changes its article's signature through the survey too.
  const cache = new ParseCache(null, 'test');
  await loadArticles(content, { cache, survey: surveyContent(content) });
  const yaml = path.join(content, 'kb/2792165/files.yaml');
  await writeFile(yaml, await readFile(yaml));
  const later = new Date(Date.now() + 5_000);
  await utimes(yaml, later, later);
  const again = await loadArticles(content, { cache, survey: surveyContent(content) });
  assert.equal(again.parsed, 1, 'the article whose files.yaml changed is parsed again');
});

test('a survey of a folder that is not there gives null, and loading falls back to listing it itself', async () => {
  assert.equal(await surveyContent('no/such/folder'), null);
  await assert.rejects(loadArticles('no/such/folder', { survey: surveyContent('no/such/folder') }), /ENOENT/);
});

test('with a listing, a second survey sees what a fresh one sees: files added to listed folders, new folders, removed files', async () => {
  const dir = await tempDir('survey-listing');
  const content = path.join(dir, 'content');
  await cp('content', content, { recursive: true });
  const listing = path.join(dir, 'listing.v8');
  // Folders changed in the last 2 s are not kept in the listing (file-system clocks tick coarsely).
  await new Promise((resolve) => setTimeout(resolve, 2_100));
  const first = await surveyContent(content, listing);
  assert.deepEqual(first, await surveyContent(content), 'the same survey as without a listing');
  await surveysFinished(); // the listing is written after the answer
  const saved = deserialize(await readFile(listing)) as { folders: string[] };
  assert.ok(saved.folders.includes(path.join(content, 'kb')), 'the folders are kept in the listing');

  const added = path.join(content, 'kb/5000101/notes.md');
  await writeFile(added, '# notes\n');
  await mkdir(path.join(content, 'kb/5000199'));
  await writeFile(path.join(content, 'kb/5000199/index.md'), '---\n---\n');
  await rm(path.join(content, 'kb/5000103/index.md'));
  const second = await surveyContent(content, listing);
  assert.deepEqual(second, await surveyContent(content), 'the same survey as without a listing');
  assert.ok(second?.has(added) && second.has(path.join(content, 'kb/5000199/index.md')), 'the added files are seen');
  assert.ok(!second?.has(path.join(content, 'kb/5000103/index.md')), 'the removed file is gone');
  await surveysFinished();
});
