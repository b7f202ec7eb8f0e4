/** The browser tests serve sites with the same server `kb links` uses. */
export { serveDirectory, type RunningServer } from '../../src/static-server.ts';
