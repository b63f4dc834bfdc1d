/** The reflected `state` of every element: loading, ready (something shown), empty (nothing to show) or error. */
export type ElementState = 'loading' | 'ready' | 'empty' | 'error';
