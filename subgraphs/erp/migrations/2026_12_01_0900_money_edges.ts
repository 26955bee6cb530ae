import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here. See docs/money.md for the rules these serve.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- A line may carry a functional-currency amount alone (entry-currency amounts both zero): the
    -- realized FX difference of a payment and the conversion rounding of a foreign entry have no
    -- amount in the entry currency. A line still moves exactly one side, in each currency.
    alter table erp.journal_lines drop constraint journal_lines_check;
    alter table erp.journal_lines add constraint journal_lines_one_side check (
      ((debit_minor = 0) <> (credit_minor = 0))
      or (debit_minor = 0 and credit_minor = 0 and (functional_debit_minor = 0) <> (functional_credit_minor = 0)));
    alter table erp.journal_lines add constraint journal_lines_same_side check (
      not (debit_minor > 0 and functional_credit_minor > 0) and not (credit_minor > 0 and functional_debit_minor > 0));

    -- The receivable is the authoritative balance of an invoice. It keeps the facts it settles from
    -- (cash received, credits, write-offs asked) and what they settle to (lib/settlement.ts).
    alter table erp.receivables
      add column received_minor bigint not null default 0 check (received_minor >= 0),
      add column paid_minor bigint not null default 0 check (paid_minor >= 0),
      add column credited_minor bigint not null default 0 check (credited_minor >= 0),
      add column write_offs_minor bigint not null default 0 check (write_offs_minor >= 0),
      add column written_off_minor bigint not null default 0 check (written_off_minor >= 0);
    -- Before this, a payment could not exceed the open balance: all cash received was applied.
    update erp.receivables r set received_minor = p.s, paid_minor = p.s
      from (select receivable_id, sum(amount_minor) as s from erp.payments group by receivable_id) p
     where p.receivable_id = r.id;
    update erp.receivables set credited_minor = amount_minor - open_minor - paid_minor;
    alter table erp.receivables add constraint receivables_settled check (
      open_minor = amount_minor - credited_minor - paid_minor - written_off_minor
      and paid_minor <= received_minor and written_off_minor <= write_offs_minor);
    alter table erp.receivables drop constraint receivables_status_check;
    alter table erp.receivables add constraint receivables_status_check
      check (status in ('OPEN','PARTIALLY_PAID','PAID','CREDITED','WRITTEN_OFF'));

    -- Unapplied cash and credit owed to a customer, per legal entity and currency. The row is what
    -- refunds lock; the check makes a refund above the balance impossible even past the API.
    create table erp.customer_credit_balances (
      customer_id text not null,
      legal_entity_id text not null references erp.legal_entities(id),
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      balance_minor bigint not null default 0 check (balance_minor >= 0),
      functional_minor bigint not null default 0,
      primary key (customer_id, legal_entity_id, currency)
    );
    create table erp.customer_credit_movements (
      id text primary key,
      customer_id text not null,
      legal_entity_id text not null references erp.legal_entities(id),
      currency text not null,
      amount_minor bigint not null check (amount_minor <> 0),
      functional_minor bigint not null,
      source_type text not null,
      source_id text not null,
      invoice_id text,
      journal_entry_id text references erp.journal_entries(id),
      created_at timestamptz not null default now(),
      unique (source_type, source_id)
    );
    create index customer_credit_movements_customer_idx on erp.customer_credit_movements (customer_id, currency);

    create table erp.refunds (
      id text primary key,
      customer_id text not null,
      legal_entity_id text not null references erp.legal_entities(id),
      currency text not null,
      amount_minor bigint not null check (amount_minor > 0),
      paid_on date not null,
      external_ref text not null unique,
      journal_entry_id text references erp.journal_entries(id),
      created_at timestamptz not null default now()
    );

    create table erp.write_offs (
      id text primary key,
      receivable_id text not null references erp.receivables(id),
      invoice_id text not null,
      customer_id text not null,
      legal_entity_id text not null references erp.legal_entities(id),
      amount_minor bigint not null check (amount_minor > 0),
      written_off_on date not null,
      reason text not null check (length(trim(reason)) > 0),
      journal_entry_id text references erp.journal_entries(id),
      created_at timestamptz not null default now()
    );
    create index write_offs_receivable_idx on erp.write_offs (receivable_id);

    -- Every close and reopen, who and why: reopening a closed period is a controlled correction.
    create table erp.period_events (
      id bigint generated always as identity primary key,
      period_id text not null references erp.periods(id),
      action text not null check (action in ('CLOSE','REOPEN')),
      actor text,
      reason text,
      at timestamptz not null
    );
    create index period_events_period_idx on erp.period_events (period_id, id);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop table erp.period_events, erp.write_offs, erp.refunds, erp.customer_credit_movements, erp.customer_credit_balances;
    alter table erp.receivables drop constraint receivables_status_check;
    alter table erp.receivables add constraint receivables_status_check check (status in ('OPEN','PARTIALLY_PAID','PAID','CREDITED'));
    alter table erp.receivables drop constraint receivables_settled;
    alter table erp.receivables drop column received_minor, drop column paid_minor, drop column credited_minor,
      drop column write_offs_minor, drop column written_off_minor;
    alter table erp.journal_lines drop constraint journal_lines_same_side, drop constraint journal_lines_one_side;
    alter table erp.journal_lines add constraint journal_lines_check check ((debit_minor = 0) <> (credit_minor = 0));
  `.execute(db);
}
