#!/usr/bin/env node
// The `kb` command: TypeScript sources run through tsx, so there is no separate compile step.
import { register } from 'tsx/esm/api';

// A library failing outside our await chain (linkinator once rejected a request timeout that nothing
// awaited) must not exit with 1, which means "broken links" to `kb links`: it is an internal error.
process.on('unhandledRejection', (reason) => {
  console.error(`kb: internal error (a bug in kbsite or a library it uses): ${reason instanceof Error ? reason.message : String(reason)}`);
  if (process.argv.includes('--debug') && reason instanceof Error) console.error(reason.stack);
  process.exit(70);
});

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
