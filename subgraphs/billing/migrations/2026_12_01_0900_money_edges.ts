import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here. See docs/money.md for the rules these serve.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- Billing's copy of an invoice's balance settles from the same facts as the erp receivable
    -- (lib/settlement.ts): cash received (as the erp reports it), credits, write-offs asked.
    alter table billing.invoices
      add column received_minor bigint not null default 0 check (received_minor >= 0),
      add column write_offs_minor bigint not null default 0 check (write_offs_minor >= 0),
      add column written_off_minor bigint not null default 0 check (written_off_minor >= 0);
    -- Before this, payments never exceeded the open balance: all cash received was applied.
    update billing.invoices set received_minor = paid_minor;
    alter table billing.invoices add constraint invoices_settled check (
      paid_minor + credited_minor + written_off_minor <= total_minor
      and paid_minor <= received_minor and written_off_minor <= write_offs_minor);
    alter table billing.invoices drop constraint invoices_status_check;
    alter table billing.invoices add constraint invoices_status_check
      check (status in ('DRAFT','ISSUED','PARTIALLY_PAID','PAID','CREDITED','WRITTEN_OFF','VOID'));
    -- Issue dates follow the numbers: the newest issue date of a legal entity is one index probe.
    create index invoices_entity_issue_idx on billing.invoices (legal_entity_id, issue_date);
    create index credit_memos_entity_issue_idx on billing.credit_memos (legal_entity_id, issue_date);

    -- Bad-debt write-offs as billing learns of them from the erp; unique so a replay applies once.
    create table billing.invoice_write_offs (
      id text primary key,
      invoice_id text not null references billing.invoices(id),
      erp_write_off_id text not null unique,
      amount_minor bigint not null check (amount_minor > 0),
      written_off_on date not null
    );

    -- One row per billing run that completed: replaying it finds the row and bills nothing new.
    create table billing.billing_runs (
      run_key text primary key,
      project_id text not null,
      through date not null,
      issue_date date not null,
      invoice_ids text[] not null,
      written_off_item_ids text[] not null default '{}',
      created_at timestamptz not null default now()
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop table billing.billing_runs, billing.invoice_write_offs;
    drop index billing.credit_memos_entity_issue_idx;
    drop index billing.invoices_entity_issue_idx;
    alter table billing.invoices drop constraint invoices_status_check;
    alter table billing.invoices add constraint invoices_status_check
      check (status in ('DRAFT','ISSUED','PARTIALLY_PAID','PAID','CREDITED','VOID'));
    alter table billing.invoices drop constraint invoices_settled;
    alter table billing.invoices drop column received_minor, drop column write_offs_minor, drop column written_off_minor;
  `.execute(db);
}
