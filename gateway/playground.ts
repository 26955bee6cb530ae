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

/**
 * GraphiQL, inlined (no CDN): analysts get the schema explorer, docs and subscriptions offline.
 */
export function renderPlayground(endpoint: string): string {
  return renderGraphiQL({
    endpoint,
    title: 'Ledgerline playground',
    defaultQuery: DEFAULT_QUERY,
    subscriptionsProtocol: 'WS',
    headerEditorEnabled: true,
  } as Parameters<typeof renderGraphiQL>[0]);
}
