// The console's GraphQL documents, in one place: every field it reads is visible here.

export const JOB_ROW = `id kind status source { type id } sourceKey trigger triggeredBy attemptCount maxAttempts createdAt updatedAt finishedAt durationMs
  mappingVersion lastError { code message system } customer { id name } project { id code name } invoice { id number }
  targets { system type id }`;

export const JOBS = `query ConsoleJobs($first: Int!, $after: String, $filter: SyncJobFilter) {
  syncJobs(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } nodes { ${JOB_ROW} } }
}`;

export const JOB_UPDATES = `subscription ConsoleJobUpdates($filter: SyncJobUpdatedFilter) {
  syncJobUpdated(filter: $filter) { sequence status event detail at job { ${JOB_ROW} } }
}`;

export const JOB_DETAIL = `query ConsoleJob($id: ID!) {
  syncJob(id: $id) {
    ${JOB_ROW} startedAt
    attempts { attemptNo worker started finished outcome error { code message system } }
    events { sequence status event detail at }
    journalEntry { id date source { type id } lines { lineNumber account { code name } debit { amount currency } credit { amount currency } } }
  }
}`;

export const DRY_RUN = `mutation ConsoleDryRun($id: ID!) {
  replaySyncJob(id: $id, dryRun: true) { ok errors { code message } job { id status targets { system type id } }
    preview { targets { system type id } detail failure { code message system } } }
}`;

export const REPLAY = `mutation ConsoleReplay($id: ID!) { replaySyncJob(id: $id) { ok errors { code message } job { ${JOB_ROW} } } }`;
export const RETRY = `mutation ConsoleRetry($id: ID!) { retrySyncJob(id: $id) { ok errors { code message } job { ${JOB_ROW} } } }`;
export const CANCEL = `mutation ConsoleCancel($id: ID!) { cancelSyncJob(id: $id) { ok errors { code message } job { ${JOB_ROW} } } }`;
export const RESOLVE = `mutation ConsoleResolve($id: ID!, $note: String!) {
  resolveException(id: $id, note: $note) { ok errors { code message } job { ${JOB_ROW} } }
}`;

export const MASTER = `query ConsoleMaster($id: ID!) {
  customer(id: $id) { id name financialMaster { name legalEntity { id } currency taxCode paymentTermsDays status } }
  legalEntities { id name }
}`;

export const UPSERT_MASTER = `mutation ConsoleFixMaster($id: ID!, $input: CustomerFinancialMasterInput!) {
  upsertCustomerFinancialMaster(customerId: $id, input: $input) { taxCode paymentTermsDays currency legalEntity { id } }
}`;

export const RECONCILIATION = `query ConsoleReconciliation($asOf: Date) {
  reconciliation(asOf: $asOf) {
    asOf staleAfterDays discrepancyCount
    checks { name status count discrepancyCount description }
    wip { project { id code name } customer { id name } hours value { amount currency } oldestWorkDate buckets { age hours } }
    timeWithoutBillableItem { project { id code name } customer { id name } count hours approvedEntries billableItems }
    staleBillableItems { project { id code name } count hours value { amount currency } dueSince daysOverdue releasedByCreditMemos }
    unpostedInvoices { invoice { id } number customer { id name } project { id code } total { amount currency } issueDate status }
    arDifferences { customer { id name } currency billingOpen { amount currency } erpOpen { amount currency } difference { amount currency } }
    misplacedTime { projectId project { code name } reason count hours lastWorkDate projectEndDate }
    customersWithoutMaster { customer { id } name explained reason projectCount invoiceCount openOpportunities }
  }
}`;

export const SLOS = `query ConsoleSlos {
  slos {
    until mappingVersion
    flows {
      kind target { latencyP50Seconds latencyP95Seconds objective }
      last24Hours { jobs good bad pending p50LatencyMs p95LatencyMs attainment burnRate recovered recoveryP50Ms recoveryP95Ms }
      last7Days { jobs good bad pending p50LatencyMs p95LatencyMs attainment burnRate recovered recoveryP50Ms recoveryP95Ms }
      burn24Hours { start good bad burnRate } burn7Days { start good bad burnRate }
    }
    postingAccuracy(days: 90) { from to posted corrected accuracy target }
  }
}`;

const KPI_FIELDS = `from to
  dealWonToProjectActive { period legalEntityId serviceLine deals meanHours p50Hours p95Hours }
  approvedTimeToInvoice { period legalEntityId serviceLine invoicedHours meanDays p50Days p95Days }
  invoiceCorrections { period legalEntityId serviceLine issued credited reissued correctedShare }
  revenueLeakage { period legalEntityId serviceLine currency writtenOff { amount currency } staleUnbilled { amount currency } total { amount currency } }
  reconciliationEffort { period legalEntityId serviceLine exceptions operatorActions resolved waitingHours }
  utilization { period legalEntityId serviceLine billableHours capacityHours utilization }`;

export const KPIS = `query ConsoleKpis($filter: KpiFilter, $granularity: KpiGranularity) {
  series: kpis(filter: $filter, granularity: $granularity, groupBy: [PERIOD]) { ${KPI_FIELDS} }
  breakdown: kpis(filter: $filter, granularity: $granularity, groupBy: [LEGAL_ENTITY, SERVICE_LINE]) { ${KPI_FIELDS} }
}`;
