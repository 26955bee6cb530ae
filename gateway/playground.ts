import { renderGraphiQL } from '@graphql-yoga/render-graphiql';

const DEFAULT_QUERY = `# Welcome to Ledgerline: one graph over CRM, PSA, time, billing and ERP.
# Run this query (Ctrl-Enter), then open the Docs panel to explore every system's types.
query PortfolioOverview {
  customers(first: 5) {
    totalCount
    nodes {
      name
      region
      hours { approved unbilled }
      billingSummary { currency unbilled { amount } openBalance { amount } }
      arBalance { amount currency }
      projects {
        code
        name
        status
        financials { revenue { amount currency } cost { amount } margin { amount } }
      }
    }
  }
}
`;

const STATUS_SUBSCRIPTION = `# Live sync status: start this, then run the WinDeal tab (or any write that syncs).
# Each event can select federated fields of its job: the customer from the CRM, the project from PSA.
subscription LiveSyncStatus {
  syncJobUpdated {
    sequence
    status
    event
    at
    job {
      kind
      source { type id }
      customer { name }
      project { code status }
      invoice { number total { amount currency } }
      lastError { code message system }
    }
  }
}
`;

const WIN_DEAL = `# Winning a deal starts project activation across psa, time, billing and erp.
# opp_0114 to opp_0116 are ready to win in the demo data; opp_0117's customer has no tax code,
# so its job stops as an EXCEPTION that you can fix (upsertCustomerFinancialMaster) and resolve.
mutation WinDeal {
  changeOpportunityStage(id: "opp_0114", stage: CLOSED_WON, changedBy: "you@playground") {
    name
    stage
    wonAt
  }
}
`;

/**
 * GraphiQL, inlined (no CDN): analysts get the schema explorer, docs and subscriptions offline.
 */
export function renderPlayground(endpoint: string, token?: string): string {
  return renderGraphiQL({
    endpoint,
    title: 'Ledgerline playground',
    defaultQuery: DEFAULT_QUERY,
    defaultTabs: [{ query: DEFAULT_QUERY }, { query: STATUS_SUBSCRIPTION }, { query: WIN_DEAL }],
    subscriptionsProtocol: 'WS',
    isHeadersEditorEnabled: true,
    // With the embedded default a development token is filled in for a browser on this machine
    // (gateway/playground-route.ts), so the playground works at once; the same token opens the
    // WebSocket (graphql-ws connection_init) for subscriptions. Anyone else pastes their own.
    ...(token
      ? { headers: JSON.stringify({ Authorization: `Bearer ${token}` }, null, 2), connectionParams: { Authorization: `Bearer ${token}` } }
      : { headers: JSON.stringify({ Authorization: 'Bearer <paste your token here>' }, null, 2) }),
  } as Parameters<typeof renderGraphiQL>[0]);
}
