/**
 * What kbsite's hooks in Pagefind's web worker (fragment-prefetch.ts, result-window.ts) rely on, in
 * one place: Pagefind 1.6's messages between page and worker, `{ id, instanceId, method, args }` to
 * the worker and `{ id, result }` back, and a worker scope whose `message` listeners run in the order
 * they were added (the hooks' before Pagefind's, as its script comes after them) and whose
 * `postMessage` can be wrapped. Should the messages change, the hooks match nothing and Pagefind
 * works as it does without them.
 */

/** A message from the page to Pagefind's worker. */
export interface WorkerRequest {
  id?: unknown;
  instanceId?: unknown;
  method?: unknown;
  args?: unknown;
}

/** The term and options of a `search` request; null for any other message. */
export function searchArgs(request: WorkerRequest): { term: unknown; options: Record<string, unknown> } | null {
  if (request.method !== 'search' || !Array.isArray(request.args)) return null;
  const [term, options] = request.args as [unknown, Record<string, unknown> | null | undefined];
  return { term, options: options ?? {} };
}

/** An answer from Pagefind's worker to the page. */
export interface WorkerResponse {
  id?: unknown;
  result?: ({ results?: unknown } & Record<string, unknown>) | null;
}

/** The parts of a worker's global scope the hooks use (a stand-in in the unit tests). */
export type WorkerScope = Partial<{
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  dispatchEvent(event: Event): boolean;
  postMessage(message: unknown, ...rest: never[]): void;
}>;

export interface WorkerHook {
  /** Posts to the page past this hook's own wrapper (and past those of hooks installed after it). */
  post(message: unknown): void;
  /** Listens to what the page sends, before Pagefind does. */
  onRequest(listener: (request: WorkerRequest, event: MessageEvent) => void): void;
  /** Sees each answer before it is posted; `post` sends it (or another) on. Answers to `ask` never reach it. */
  onAnswer(wrapper: (answer: WorkerResponse, post: (message: unknown) => void) => void): void;
  /** Asks Pagefind's handler as the page would; its answer is kept from the page. */
  ask(method: string, args: unknown[], instanceId?: unknown): void;
  /** Whether a request is one of this hook's `ask`s. */
  isOwn(request: WorkerRequest): boolean;
}

/**
 * A hook named `name` into the worker's scope; null in a scope that is not a worker's (a bare `vm`
 * context, or the page, where Pagefind runs when its worker fails).
 */
export function hookWorker(scope: WorkerScope, name: string): WorkerHook | null {
  const { addEventListener, dispatchEvent, postMessage } = scope;
  if (typeof MessageEvent === 'undefined' || typeof addEventListener !== 'function' || typeof dispatchEvent !== 'function' || typeof postMessage !== 'function') return null;
  const own = `kb_${name}_`;
  const isOwnId = (id: unknown) => typeof id === 'string' && id.startsWith(own);
  const post = postMessage.bind(scope);
  let next = 0;
  return {
    post: (message) => post(message),
    onRequest(listener) {
      addEventListener.call(scope, 'message', (event) => listener((event.data ?? {}) as WorkerRequest, event));
    },
    onAnswer(wrapper) {
      scope.postMessage = (message: unknown, ...rest: never[]) => {
        if (typeof message !== 'object' || message === null) return post(message, ...rest);
        const answer = message as WorkerResponse;
        if (isOwnId(answer.id)) return;
        wrapper(answer, (sent) => post(sent, ...rest));
      };
    },
    ask(method, args, instanceId) {
      dispatchEvent.call(scope, new MessageEvent('message', { data: { id: `${own}${next++}`, instanceId, method, args } }));
    },
    isOwn: (request) => isOwnId(request.id),
  };
}
