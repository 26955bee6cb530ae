import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- The billing system's customer accounts: its copy of the erp financial master.
    create table billing.accounts (
      customer_id text primary key,
      name text not null,
      legal_entity_id text not null,
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      payment_terms_days integer not null check (payment_terms_days between 0 and 365),
      tax_code text not null,
      updated_at timestamptz not null default now()
    );

    -- How a project bills: set up by project activation from the psa contract.
    create table billing.rules (
      project_id text primary key,
      customer_id text not null,
      contract_id text not null,
      legal_entity_id text not null,
      billing_model text not null check (billing_model in ('TIME_AND_MATERIALS','FIXED_FEE','MILESTONES')),
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      cap_minor bigint check (cap_minor >= 0),
      fixed_fee_minor bigint check (fixed_fee_minor >= 0),
      rounding_increment_minutes integer not null default 15,
      rounding_mode text not null default 'UP' check (rounding_mode in ('UP','NEAREST','DOWN')),
      service_line text not null,
      active boolean not null default true,
      created_at timestamptz not null default now()
    );

    create table billing.milestones (
      id text primary key,
      project_id text not null references billing.rules(project_id),
      name text not null,
      amount_minor bigint not null check (amount_minor > 0),
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      due_date date not null,
      status text not null default 'PLANNED' check (status in ('PLANNED','INVOICED','CANCELLED'))
    );
    create index milestones_project_idx on billing.milestones (project_id, due_date);

    -- Gap-free numbering: one row per legal entity and document type, locked by the issuing transaction.
    create table billing.number_sequences (
      legal_entity_id text not null,
      document_type text not null check (document_type in ('INVOICE','CREDIT_MEMO')),
      prefix text not null,
      next_number integer not null default 1 check (next_number > 0),
      primary key (legal_entity_id, document_type)
    );

    create table billing.invoices (
      id text primary key,
      number text,
      legal_entity_id text not null,
      customer_id text not null,
      project_id text not null,
      contract_id text,
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      status text not null default 'DRAFT' check (status in ('DRAFT','ISSUED','PARTIALLY_PAID','PAID','CREDITED','VOID')),
      issue_date date,
      due_date date,
      period_start date,
      period_end date,
      subtotal_minor bigint not null default 0,
      tax_minor bigint not null default 0,
      total_minor bigint not null default 0,
      paid_minor bigint not null default 0 check (paid_minor >= 0),
      credited_minor bigint not null default 0 check (credited_minor >= 0),
      created_at timestamptz not null default now(),
      issued_at timestamptz,
      unique (legal_entity_id, number),
      check ((status = 'DRAFT' or status = 'VOID') or (number is not null and issue_date is not null and due_date is not null)),
      check (total_minor = subtotal_minor + tax_minor),
      check (paid_minor + credited_minor <= total_minor)
    );
    create index invoices_customer_idx on billing.invoices (customer_id, issue_date);
    create index invoices_project_idx on billing.invoices (project_id, issue_date);
    create index invoices_status_idx on billing.invoices (status);

    create table billing.invoice_lines (
      id text primary key,
      invoice_id text not null references billing.invoices(id),
      line_no integer not null,
      kind text not null check (kind in ('TIME','MILESTONE','FIXED_FEE','ADJUSTMENT')),
      description text not null,
      quantity numeric(14,2) not null,
      unit_price_minor bigint not null,
      amount_minor bigint not null,
      tax_code text not null,
      tax_rate_bp integer not null check (tax_rate_bp between 0 and 10000),
      tax_minor bigint not null,
      service_line text not null,
      milestone_id text references billing.milestones(id),
      credited_minor bigint not null default 0 check (credited_minor >= 0),
      unique (invoice_id, line_no)
    );

    create table billing.billable_items (
      id text primary key,
      source_type text not null check (source_type in ('TIME_ENTRY')),
      source_id text not null,
      project_id text not null,
      customer_id text not null,
      resource_id text not null,
      role text,
      work_date date not null,
      source_minutes integer not null check (source_minutes > 0),
      minutes integer not null check (minutes >= 0),
      rate_minor bigint not null check (rate_minor >= 0),
      rate_source text not null,
      amount_minor bigint not null check (amount_minor >= 0),
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      status text not null default 'UNBILLED' check (status in ('UNBILLED','INVOICED','WRITTEN_OFF','CREDITED')),
      invoice_line_id text references billing.invoice_lines(id),
      created_at timestamptz not null default now(),
      unique (source_type, source_id),
      check ((status = 'INVOICED') = (invoice_line_id is not null) or status = 'CREDITED')
    );
    create index billable_items_project_idx on billing.billable_items (project_id, status, work_date);
    create index billable_items_line_idx on billing.billable_items (invoice_line_id);

    create table billing.credit_memos (
      id text primary key,
      number text not null,
      legal_entity_id text not null,
      invoice_id text not null references billing.invoices(id),
      customer_id text not null,
      currency text not null,
      issue_date date not null,
      reason text not null,
      time_disposition text not null check (time_disposition in ('UNBILL','WRITE_OFF')),
      subtotal_minor bigint not null,
      tax_minor bigint not null,
      total_minor bigint not null,
      created_at timestamptz not null default now(),
      unique (legal_entity_id, number),
      check (total_minor = subtotal_minor + tax_minor)
    );
    create index credit_memos_invoice_idx on billing.credit_memos (invoice_id);

    create table billing.credit_memo_lines (
      id text primary key,
      credit_memo_id text not null references billing.credit_memos(id),
      invoice_line_id text not null references billing.invoice_lines(id),
      amount_minor bigint not null check (amount_minor > 0),
      tax_minor bigint not null check (tax_minor >= 0)
    );

    -- Payments as billing learns of them from erp; unique on the erp payment so a replay applies once.
    create table billing.invoice_payments (
      id text primary key,
      invoice_id text not null references billing.invoices(id),
      erp_payment_id text not null unique,
      amount_minor bigint not null check (amount_minor > 0),
      received_on date not null
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table billing.invoice_payments, billing.credit_memo_lines, billing.credit_memos, billing.billable_items, billing.invoice_lines, billing.invoices, billing.number_sequences, billing.milestones, billing.rules, billing.accounts`.execute(
    db,
  );
}
