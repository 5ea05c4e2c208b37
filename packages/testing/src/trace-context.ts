/** A W3C traceparent as an edge would send it (the example of the Trace Context spec). */
export const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

/** A W3C tracestate to go with TRACEPARENT. */
export const TRACESTATE = 'smsgw=edge';
