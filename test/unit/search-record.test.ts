import { test } from 'node:test';
import assert from 'node:assert/strict';
import { markdownToSearchText } from '../../src/search/index.ts';

test('search text keeps the words of Markdown and drops its markup: list markers, table rules, heading anchors, fences, links', () => {
  const markdown = [
    '## Symptoms',
    '',
    '### File information {#hotfix-file-information}',
    'Consider the following scenario:',
    '- You have a computer that is running **Windows Server 2008**.',
    '* You install [KB2792165](/kb/2792165/).',
    '1. Restart the computer.',
    '2) Press F8.',
    '> - A quoted list item',
    '',
    '| File name | Version |',
    '|---|:---:|',
    '| Ntfs.sys | 6.0.6002.23053 |',
    '',
    '---',
    '```',
    'code stays',
    '```',
    'A minus - inside a sentence, 3.5 GB, and x-64 stay.',
  ].join('\n');
  assert.equal(
    markdownToSearchText(markdown),
    'Symptoms File information Consider the following scenario: You have a computer that is running Windows Server 2008. You install KB2792165. Restart the computer. Press F8. A quoted list item File name Version Ntfs.sys 6.0.6002.23053 code stays A minus - inside a sentence, 3.5 GB, and x-64 stay.',
  );
});
