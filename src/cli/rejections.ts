/**
 * Promise rejections that nothing has handled yet, and when `kb` calls one a bug.
 *
 * Node calls a rejection unhandled as soon as a turn of the event loop ends without a handler, but
 * Eleventy handles some of its own late: it starts each page's write, renders the next pages, and
 * awaits the writes together at the end of the template (`Template.generateMapEntry`). On a full
 * disk the first write rejects a run's worth of pages before anything handles it. Exiting then, as
 * `kb` did, called a full disk "an internal error" and ended the build before its clean-up (the
 * staging folder stayed). So a rejection counts only if it is still unhandled when the command
 * has succeeded, or after LATE_LIMIT_MS, which no Eleventy run takes; it is then reported as a bug
 * (exit 70), not left to Node, whose exit code 1 means "broken links" to `kb links`.
 */

/** Longer than any Eleventy run (a run of 10,000 articles renders in one to two minutes here). */
const LATE_LIMIT_MS = 10 * 60_000;

/** The exit code of an internal error (sysexits.h's EX_SOFTWARE). */
export const INTERNAL_ERROR_EXIT_CODE = 70;

const pending = new Map<Promise<unknown>, unknown>();
let tracking = false;

function reportBug(reason: unknown): void {
  console.error(`kb: internal error (a bug in kbsite or a library it uses): ${reason instanceof Error ? reason.message : String(reason)}`);
  if (process.argv.includes('--debug') && reason instanceof Error) console.error(reason.stack);
}

/** Start tracking (once per process; `kb`'s `main` calls it). */
export function trackRejections(): void {
  if (tracking) return;
  tracking = true;
  process.on('unhandledRejection', (reason, promise) => {
    pending.set(promise, reason);
    setTimeout(() => {
      if (!pending.has(promise)) return;
      reportBug(reason);
      process.exit(INTERNAL_ERROR_EXIT_CODE);
    }, LATE_LIMIT_MS).unref();
  });
  process.on('rejectionHandled', (promise) => pending.delete(promise));
  // Whatever is left when the process ends (after `main` returned) is reported too.
  process.on('exit', (code) => {
    if (forgetUnhandled(code === 0)) process.exitCode = INTERNAL_ERROR_EXIT_CODE;
  });
}

/**
 * Forget the rejections still unhandled, reporting them as bugs when `report` (the command
 * succeeded); whether it reported any. After a failure they are what the failure abandoned:
 * when a page cannot be written, Eleventy stops awaiting its passthrough copy, whose rejection is
 * then never handled (`TemplatePassthroughManager.copyAll` waits for the templates first).
 */
export async function takeUnhandled(report: boolean): Promise<boolean> {
  // Node says a rejection was handled after the turn in which it was (processPromiseRejections).
  await new Promise((resolve) => setImmediate(resolve));
  return forgetUnhandled(report);
}

/**
 * A build failed: what it abandoned will never be handled (see takeUnhandled), and a watching
 * process goes on, so it is forgotten now, not reported when the process ends or after LATE_LIMIT_MS.
 */
export function forgetAbandoned(): void {
  forgetUnhandled(false);
}

function forgetUnhandled(report: boolean): boolean {
  const reasons = [...pending.values()];
  pending.clear();
  if (report) reasons.forEach(reportBug);
  return report && reasons.length > 0;
}
