/**
 * GraphQL Code Generator: resolver types for every subgraph, from its SDL, so a resolver's arguments,
 * parent and result are checked against the schema instead of typed by hand. `npm run codegen`
 * writes `subgraphs/<name>/resolvers/types.generated.ts`; `npm run codegen:check` (in `npm test`)
 * fails when a checked-in file differs from a fresh run.
 */
import { existsSync, readdirSync } from 'node:fs';
import type { CodegenConfig } from '@graphql-codegen/cli';
import type { TypeScriptResolversPluginConfig } from '@graphql-codegen/typescript-resolvers';

/** Mapper targets, relative to `subgraphs/<name>/resolvers/` where the generated file lives. */
const row = (type: string) => `../data/tables.ts#${type}`;
const model = (type: string) => `./models.ts#${type}`;
/** A key stub of an entity another subgraph owns. */
const REF = '../../../lib/entity-ref.ts#EntityRef';

/** Every subgraph with resolvers: its context type and the model each GraphQL type resolves from. */
const SUBGRAPHS: Record<string, { context: string; mappers: Record<string, string> }> = {
  crm: {
    context: '../context.ts#CrmContext',
    mappers: {
      Customer: row('Customer'),
      Contact: row('Contact'),
      Opportunity: row('Opportunity'),
      StageChange: row('StageChange'),
      Workstream: model('WorkstreamModel'),
      OpportunityMilestone: model('OpportunityMilestoneModel'),
      CustomerConnection: model('CustomerConnectionModel'),
      OpportunityConnection: model('OpportunityConnectionModel'),
    },
  },
  time: {
    context: '../context.ts#TimeContext',
    mappers: {
      Customer: REF,
      Project: REF,
      Resource: REF,
      TimeEntry: row('TimeEntry'),
      Timesheet: row('Timesheet'),
      TimeProject: row('TimeProject'),
      TimeResource: row('TimeResource'),
      TimeEntryConnection: model('TimeEntryConnectionModel'),
      TimesheetConnection: model('TimesheetConnectionModel'),
    },
  },
  psa: {
    context: '../context.ts#PsaContext',
    mappers: {
      Customer: REF,
      Opportunity: REF,
      LegalEntity: REF,
      Project: row('Project'),
      // The budget's fields resolve from the project row.
      ProjectBudget: row('Project'),
      Contract: row('Contract'),
      RateCard: row('RateCard'),
      RateCardRate: model('RateCardRateModel'),
      RateOverride: row('RateOverride'),
      Task: row('Task'),
      Assignment: row('Assignment'),
      Resource: row('Resource'),
      CustomerRef: row('CustomerRef'),
      ResolvedRate: '../api/rates.ts#ResolvedRate',
      ProjectConnection: model('ProjectConnectionModel'),
      ResourceConnection: model('ResourceConnectionModel'),
      RateCardConnection: model('RateCardConnectionModel'),
    },
  },
  billing: {
    context: '../context.ts#BillingContext',
    mappers: {
      LegalEntity: REF,
      Resource: REF,
      Customer: REF,
      Project: REF,
      TimeEntry: REF,
      BillingAccount: row('Account'),
      BillingRule: row('Rule'),
      Milestone: row('Milestone'),
      BillableItem: row('BillableItem'),
      Invoice: row('Invoice'),
      InvoiceLine: row('InvoiceLine'),
      InvoicePayment: model('InvoicePaymentModel'),
      CreditMemo: row('CreditMemo'),
      CreditMemoLine: row('CreditMemoLine'),
      InvoiceConnection: model('InvoiceConnectionModel'),
      BillableItemConnection: model('BillableItemConnectionModel'),
      CreditMemoConnection: model('CreditMemoConnectionModel'),
    },
  },
  erp: {
    context: '../context.ts#ErpContext',
    mappers: {
      Customer: REF,
      Invoice: REF,
      InvoiceLine: REF,
      CreditMemo: REF,
      Project: REF,
      LegalEntity: row('LegalEntity'),
      Account: row('Account'),
      Period: row('Period'),
      PeriodEvent: row('PeriodEvent'),
      CustomerFinancialMaster: row('CustomerMaster'),
      JournalEntry: row('JournalEntry'),
      JournalLine: model('JournalLineModel'),
      Receivable: row('Receivable'),
      Payment: row('Payment'),
      WriteOff: row('WriteOff'),
      Refund: row('Refund'),
      FxRate: row('FxRate'),
      ContractRef: row('ContractRef'),
      JournalEntryConnection: model('JournalEntryConnectionModel'),
      ReceivableConnection: model('ReceivableConnectionModel'),
    },
  },
  sync: {
    context: '../context.ts#SyncContext',
    mappers: {
      Customer: REF,
      Project: REF,
      Invoice: REF,
      JournalEntry: REF,
      SyncJob: row('Job'),
      SyncAttempt: row('JobAttempt'),
      SyncEvent: row('JobEvent'),
      SyncJobConnection: model('SyncJobConnectionModel'),
      KpiReport: '../kpis/report.ts#KpiOptions',
      SloReport: model('SloReportModel'),
      AuditEntryConnection: model('AuditEntryConnectionModel'),
    },
  },
};

/**
 * Value types (Money, PageInfo, the scalars) may live in `subgraphs/shared/*.graphql`, included into
 * each subgraph's schema at load; they join every subgraph's input when that folder exists.
 */
const SHARED_DIR = 'subgraphs/shared';
const shared = existsSync(SHARED_DIR)
  ? readdirSync(SHARED_DIR)
      .filter((f) => f.endsWith('.graphql'))
      .sort()
      .map((f) => `${SHARED_DIR}/${f}`)
  : [];

/**
 * Federation 2 directives the SDL imports through @link; declared here only so the schema loads
 * (`federation: true` adds the federation-1 set, and `__resolveReference` for every @key type).
 */
const FEDERATION_2 = /* GraphQL */ `
  directive @link(url: String!, import: [String]) repeatable on SCHEMA
  directive @shareable repeatable on OBJECT | FIELD_DEFINITION
  directive @inaccessible on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION
  directive @tag(name: String!) repeatable on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION
  directive @override(from: String!) on FIELD_DEFINITION
`;

const common: TypeScriptResolversPluginConfig & Record<string, unknown> = {
  federation: true,
  useTypeImports: true,
  // String unions, not TS enums: the kysely tables type their enum columns as the same unions.
  enumsAsTypes: true,
  // A nullable field may resolve to undefined (a DataLoader's miss); graphql-js answers null for both.
  maybeValue: 'T | null | undefined',
  // An input field with a default is always present when a resolver runs: graphql-js fills it in.
  avoidOptionals: { defaultValue: true },
  // Dates leave PostgreSQL as YYYY-MM-DD text (lib/db.ts); instants arrive as Date (lib/scalars.ts) and leave as Date or ISO text.
  scalars: { Date: 'string', DateTime: { input: 'Date', output: 'Date | string' }, ID: 'string' },
  // A resolver map is checked field by field; unknown fields are caught when the schema is built.
  useIndexSignature: false,
  showUnusedMappers: false,
  // Row types share names with GraphQL types (Customer); the suffix keeps both in the generated file.
  mapperTypeSuffix: 'Row',
};

/**
 * Operations the gateway's clients send, checked against the composed graph (supergraph.graphql):
 * TypedDocumentNodes with result and variable types, so a schema change that breaks one fails here.
 * Documents are the strings marked with a GraphQL magic comment in the listed files.
 */
const CLIENT_DOCUMENTS = ['bench/operations.ts'];
const TEST_DOCUMENTS = ['test/sync/helpers.ts'];

/** Results as they arrive over HTTP: JSON, so dates and instants are strings. */
const operationsConfig = { useTypeImports: true, enumsAsTypes: true, scalars: { Date: 'string', DateTime: 'string', ID: 'string' } };

const config: CodegenConfig = {
  overwrite: true,
  generates: {
    ...Object.fromEntries(
      Object.entries(SUBGRAPHS).map(([name, s]) => [
        `subgraphs/${name}/resolvers/types.generated.ts`,
        {
          schema: [FEDERATION_2, `subgraphs/${name}/schema.graphql`, ...shared],
          plugins: [
            { add: { content: '/* Generated by `npm run codegen` from the subgraph SDL; do not edit. */' } },
            'typescript',
            'typescript-resolvers',
          ],
          config: { ...common, contextType: s.context, mappers: s.mappers },
        },
      ]),
    ),
    'bench/operations.generated.ts': {
      schema: 'supergraph.graphql',
      documents: CLIENT_DOCUMENTS,
      plugins: [
        { add: { content: '/* Generated by `npm run codegen` from supergraph.graphql and the bench operations; do not edit. */' } },
        // typescript-operations emits the enums and inputs the operations use by itself.
        'typescript-operations',
        'typed-document-node',
      ],
      config: operationsConfig,
    },
    // Test helpers that send operations, typed the same way.
    'test/support/operations.generated.ts': {
      schema: 'supergraph.graphql',
      documents: TEST_DOCUMENTS,
      plugins: [
        { add: { content: '/* Generated by `npm run codegen` from supergraph.graphql and the test helpers; do not edit. */' } },
        'typescript-operations',
        'typed-document-node',
      ],
      config: operationsConfig,
    },
  },
};

export default config;
