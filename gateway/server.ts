import { loadConfigOrExit } from '../lib/config.ts';
import { logPoolErrors } from '../lib/db.ts';
import { createLogger } from '../lib/logger.ts';
import { startTelemetry } from '../lib/telemetry.ts';
import { startGateway } from './app.ts';
import { gatewaySecurity } from './security.ts';
import { loadSupergraphSdl } from './supergraph.ts';

// The gateway as its own process (production): subgraph URLs from the supergraph or SUBGRAPH_<NAME>_URL.
const config = loadConfigOrExit();
const logger = createLogger(config.logLevel, { service: 'gateway' });
logPoolErrors(logger);
// Traces over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set (lib/telemetry.ts).
startTelemetry('ledgerline-gateway');
const security = await gatewaySecurity(config);
const gateway = await startGateway({
  ...security,
  rateLimitPerMinute: config.rateLimitPerMinute,
  introspection: config.introspection,
  supergraphSdl: loadSupergraphSdl(),
  subgraphUrls: config.subgraphUrls,
  subgraphTimeoutMs: config.subgraphTimeoutMs,
  port: config.port,
  host: config.host,
  development: config.nodeEnv === 'development',
  logger,
  // Live sync status: the gateway LISTENs on the database the subgraphs write to.
  databaseUrl: config.databaseUrl,
});
logger.info('gateway listening', { url: gateway.url });
const shutdown = async () => {
  await gateway.stop();
  process.exit(0);
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
