import client from 'prom-client';

/**
 * Prometheus metrics of this process. One registry per process: in `npm start` the gateway's
 * /metrics shows the sync workers' figures too; a worker started alone serves its own /metrics.
 */
export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry, prefix: 'ledgerline_' });

/** Trigger-to-done latency per flow: the synchronization SLO (p50, p95 from the buckets). */
export const syncLatency = new client.Histogram({
  name: 'ledgerline_sync_job_latency_seconds',
  help: 'Seconds from the triggering write to the job finishing, per job kind and final status',
  labelNames: ['kind', 'status'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 1800],
  registers: [registry],
});

/** Attempts by outcome per flow: failure counts and retry pressure. */
export const syncAttempts = new client.Counter({
  name: 'ledgerline_sync_attempts_total',
  help: 'Sync job attempts per job kind and outcome (SUCCEEDED, RETRYING, EXCEPTION, DEAD_LETTERED)',
  labelNames: ['kind', 'outcome'] as const,
  registers: [registry],
});

export const graphqlRequests = new client.Histogram({
  name: 'ledgerline_graphql_request_duration_seconds',
  help: 'Gateway request duration per operation type and whether it had errors',
  labelNames: ['operation', 'errors'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});
