import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { type DocumentNode, execute, type GraphQLError, type GraphQLFormattedError, parse, validate } from 'graphql';
import type { Logger } from '../lib/logger.ts';
import { maskError } from '../lib/mask-error.ts';
import type { SubgraphModule } from '../lib/subgraph.ts';
import { inSpan, SpanKind } from '../lib/telemetry.ts';
import type { GatewayContext } from './context.ts';
import { withDistinctRepresentations } from './entity-representations.ts';

/**
 * A subgraph called in the gateway's own process (the single-process default): no HTTP, no JSON
 * round trip. The subgraph still gets its own context, built from the caller the gateway verified,
 * and its internal errors are masked exactly as its HTTP server masks them. The gateway sends the
 * same few fetch documents over and over, so each is parsed and validated once.
 */
export class InProcessDataSource implements GraphQLDataSource<GatewayContext> {
  private readonly documents = new Map<string, DocumentNode | readonly GraphQLError[]>();

  constructor(
    private readonly module: SubgraphModule,
    private readonly opts: { development: boolean; logger: Logger; maxCachedDocuments?: number },
  ) {}

  private document(query: string): DocumentNode | readonly GraphQLError[] {
    let doc = this.documents.get(query);
    if (!doc) {
      try {
        const parsed = parse(query);
        const errors = validate(this.module.schema, parsed);
        doc = errors.length ? errors : parsed;
      } catch (err) {
        doc = [err as GraphQLError];
      }
      if (this.documents.size >= (this.opts.maxCachedDocuments ?? 1000)) this.documents.delete(this.documents.keys().next().value!);
      this.documents.set(query, doc);
    }
    return doc;
  }

  process(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
    // The same span a subgraph's HTTP front opens, so traces look alike on both transports.
    return inSpan(`subgraph ${this.module.name}`, { kind: SpanKind.SERVER, attributes: { 'ledgerline.subgraph': this.module.name } }, () =>
      this.run(options),
    );
  }

  private async run({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>) {
    if (!context || !('principal' in context)) throw new Error('gateway request without a principal');
    const doc = this.document(request.query!);
    const mask = (errors: readonly GraphQLError[]): GraphQLFormattedError[] =>
      errors.map((e) => maskError(e.toJSON(), e, { development: this.opts.development, logger: this.opts.logger }));
    if (!('kind' in doc)) return { errors: mask(doc) };
    const contextValue = await this.module.context({ headers: { 'x-request-id': context.requestId }, principal: context.principal });
    // Each distinct entity once per fetch, as over HTTP (entity-representations.ts).
    return withDistinctRepresentations(request.variables, async (variableValues) => {
      const result = await execute({
        schema: this.module.schema,
        document: doc,
        variableValues,
        operationName: request.operationName,
        contextValue,
      });
      return {
        data: result.data as Record<string, unknown> | null | undefined,
        ...(result.errors?.length ? { errors: mask(result.errors) } : {}),
      };
    });
  }
}
