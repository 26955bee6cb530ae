import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table erp.legal_entities (
      id text primary key,
      name text not null,
      country text not null,
      functional_currency text not null check (functional_currency ~ '^[A-Z]{3}$')
    );

    -- The customer financial master: the erp is its system of record.
    create table erp.customer_masters (
      customer_id text primary key,
      name text not null,
      legal_entity_id text not null references erp.legal_entities(id),
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      tax_code text,
      payment_terms_days integer check (payment_terms_days between 0 and 365),
      credit_limit_minor bigint not null default 0 check (credit_limit_minor >= 0),
      status text not null default 'ACTIVE' check (status in ('ACTIVE','ON_HOLD','INACTIVE')),
      updated_at timestamptz not null default now()
    );

    create table erp.accounts (
      legal_entity_id text not null references erp.legal_entities(id),
      code text not null,
      name text not null,
      type text not null check (type in ('ASSET','LIABILITY','EQUITY','REVENUE','EXPENSE')),
      primary key (legal_entity_id, code)
    );

    create table erp.periods (
      id text primary key,
      legal_entity_id text not null references erp.legal_entities(id),
      code text not null check (code ~ '^[0-9]{4}-[0-9]{2}$'),
      start_date date not null,
      end_date date not null,
      status text not null default 'OPEN' check (status in ('OPEN','CLOSED')),
      closed_at timestamptz,
      unique (legal_entity_id, code),
      check (end_date >= start_date)
    );

    create table erp.fx_rates (
      from_currency text not null,
      to_currency text not null,
      rate_date date not null,
      rate numeric(18,8) not null check (rate > 0),
      primary key (from_currency, to_currency, rate_date)
    );

    create table erp.journal_entries (
      id text primary key,
      legal_entity_id text not null references erp.legal_entities(id),
      entry_date date not null,
      period_id text not null references erp.periods(id),
      source_type text not null,
      source_id text not null,
      memo text,
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      functional_currency text not null check (functional_currency ~ '^[A-Z]{3}$'),
      fx_rate numeric(18,8) not null default 1,
      reverses_id text references erp.journal_entries(id),
      posted_at timestamptz not null default now(),
      -- Posting is idempotent on its source: the same invoice can never be posted twice.
      unique (legal_entity_id, source_type, source_id)
    );
    create index journal_entries_period_idx on erp.journal_entries (period_id);
    create index journal_entries_source_idx on erp.journal_entries (source_type, source_id);

    create table erp.journal_lines (
      id text primary key,
      journal_entry_id text not null references erp.journal_entries(id),
      line_no integer not null,
      legal_entity_id text not null,
      account_code text not null,
      debit_minor bigint not null default 0 check (debit_minor >= 0),
      credit_minor bigint not null default 0 check (credit_minor >= 0),
      functional_debit_minor bigint not null default 0 check (functional_debit_minor >= 0),
      functional_credit_minor bigint not null default 0 check (functional_credit_minor >= 0),
      customer_id text,
      project_id text,
      service_line text,
      source_line_type text,
      source_line_id text,
      unique (journal_entry_id, line_no),
      foreign key (legal_entity_id, account_code) references erp.accounts(legal_entity_id, code),
      check ((debit_minor = 0) <> (credit_minor = 0))
    );
    create index journal_lines_project_idx on erp.journal_lines (project_id, account_code);
    create index journal_lines_customer_idx on erp.journal_lines (customer_id);
    create index journal_lines_source_idx on erp.journal_lines (source_line_type, source_line_id);

    -- Double entry is a database invariant, not only an application habit: at commit, every entry
    -- touched in the transaction must balance in its own and in the functional currency.
    create function erp.assert_journal_balanced() returns trigger language plpgsql as $fn$
    declare
      entry text := coalesce(new.journal_entry_id, old.journal_entry_id);
      d bigint; c bigint; fd bigint; fc bigint; n integer;
    begin
      select coalesce(sum(debit_minor),0), coalesce(sum(credit_minor),0),
             coalesce(sum(functional_debit_minor),0), coalesce(sum(functional_credit_minor),0), count(*)
        into d, c, fd, fc, n
        from erp.journal_lines where journal_entry_id = entry;
      if n > 0 and (d <> c or fd <> fc) then
        raise exception 'journal entry % is unbalanced: debits % credits % (functional % / %)', entry, d, c, fd, fc
          using errcode = '23514', constraint = 'journal_balanced';
      end if;
      return null;
    end $fn$;
    create constraint trigger journal_lines_balanced
      after insert or update or delete on erp.journal_lines
      deferrable initially deferred
      for each row execute function erp.assert_journal_balanced();

    create table erp.receivables (
      id text primary key,
      invoice_id text not null unique,
      invoice_number text not null,
      customer_id text not null,
      legal_entity_id text not null references erp.legal_entities(id),
      project_id text,
      currency text not null,
      amount_minor bigint not null check (amount_minor >= 0),
      open_minor bigint not null check (open_minor >= 0),
      issue_date date not null,
      due_date date not null,
      status text not null check (status in ('OPEN','PARTIALLY_PAID','PAID','CREDITED')),
      journal_entry_id text references erp.journal_entries(id),
      check (open_minor <= amount_minor)
    );
    create index receivables_customer_idx on erp.receivables (customer_id, status);

    create table erp.payments (
      id text primary key,
      customer_id text not null,
      legal_entity_id text not null references erp.legal_entities(id),
      receivable_id text not null references erp.receivables(id),
      invoice_id text not null,
      amount_minor bigint not null check (amount_minor > 0),
      currency text not null,
      received_on date not null,
      external_ref text not null unique,
      journal_entry_id text references erp.journal_entries(id),
      created_at timestamptz not null default now()
    );
    create index payments_receivable_idx on erp.payments (receivable_id);

    -- Contract references created by project activation, so revenue can be analysed per contract.
    create table erp.contract_refs (
      contract_id text primary key,
      project_id text not null unique,
      customer_id text not null,
      legal_entity_id text not null references erp.legal_entities(id),
      currency text not null,
      service_line text not null,
      created_at timestamptz not null default now()
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop table erp.contract_refs, erp.payments, erp.receivables, erp.journal_lines, erp.journal_entries,
      erp.fx_rates, erp.periods, erp.accounts, erp.customer_masters, erp.legal_entities;
    drop function erp.assert_journal_balanced();
  `.execute(db);
}
