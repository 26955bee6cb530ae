import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table crm.customers (
      id text primary key,
      name text not null check (length(btrim(name)) > 0),
      industry text,
      owner text,
      region text not null,
      parent_id text references crm.customers(id),
      -- The CRM's copy of the ERP financial master, kept in step by the master-data sync.
      legal_entity_id text,
      currency text check (currency ~ '^[A-Z]{3}$'),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (parent_id is null or parent_id <> id)
    );
    create index customers_name_idx on crm.customers (name, id);
    create index customers_parent_idx on crm.customers (parent_id);
    create index customers_region_idx on crm.customers (region);

    create table crm.contacts (
      id text primary key,
      customer_id text not null references crm.customers(id),
      name text not null,
      email text,
      title text,
      created_at timestamptz not null default now()
    );
    create index contacts_customer_idx on crm.contacts (customer_id);

    create table crm.opportunities (
      id text primary key,
      customer_id text not null references crm.customers(id),
      name text not null check (length(btrim(name)) > 0),
      stage text not null check (stage in ('PROSPECTING','QUALIFICATION','PROPOSAL','NEGOTIATION','CLOSED_WON','CLOSED_LOST')),
      amount_minor bigint not null check (amount_minor >= 0),
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      close_date date not null,
      billing_model text not null check (billing_model in ('TIME_AND_MATERIALS','FIXED_FEE','MILESTONES')),
      service_line text not null,
      won_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((stage = 'CLOSED_WON') = (won_at is not null))
    );
    create index opportunities_customer_idx on crm.opportunities (customer_id, close_date);
    create index opportunities_stage_idx on crm.opportunities (stage, close_date);

    create table crm.opportunity_stage_history (
      id bigint generated always as identity primary key,
      opportunity_id text not null references crm.opportunities(id),
      stage text not null,
      changed_at timestamptz not null default now(),
      changed_by text
    );
    create index stage_history_opportunity_idx on crm.opportunity_stage_history (opportunity_id, id);

    create table crm.workstreams (
      id text primary key,
      opportunity_id text not null references crm.opportunities(id),
      role text not null,
      minutes integer not null check (minutes > 0),
      rate_minor bigint not null check (rate_minor >= 0),
      description text
    );
    create index workstreams_opportunity_idx on crm.workstreams (opportunity_id);

    create table crm.opportunity_milestones (
      id text primary key,
      opportunity_id text not null references crm.opportunities(id),
      name text not null,
      amount_minor bigint not null check (amount_minor > 0),
      due_date date not null
    );
    create index opportunity_milestones_opportunity_idx on crm.opportunity_milestones (opportunity_id);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table crm.opportunity_milestones, crm.workstreams, crm.opportunity_stage_history, crm.opportunities, crm.contacts, crm.customers`.execute(
    db,
  );
}
