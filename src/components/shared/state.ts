import type {QueryStatus} from '../../api/query.js';

/** The reflected `state` of every element: loading, ready (something shown), empty (nothing to show) or error. */
export type ElementState = 'loading' | 'ready' | 'empty' | 'error';

/** The state for a query's status; `settled` says what a finished run (complete or error) shows. */
export const stateOf = (status: QueryStatus, settled: () => ElementState): ElementState =>
  status === 'idle' ? 'empty' : status === 'initial' || status === 'pending' ? 'loading' : settled();
