import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- The PSA's copy of each customer's financial master (from erp), used to validate projects.
    create table psa.customer_refs (
      customer_id text primary key,
      name text not null,
      legal_entity_id text,
      currency text check (currency ~ '^[A-Z]{3}$'),
      payment_terms_days integer,
      updated_at timestamptz not null default now()
    );

    create table psa.rate_cards (
      id text primary key,
      name text not null,
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      created_at timestamptz not null default now()
    );

    create table psa.rate_card_rates (
      id text primary key,
      rate_card_id text not null references psa.rate_cards(id),
      role text not null,
      rate_minor bigint not null check (rate_minor >= 0),
      effective_from date not null,
      unique (rate_card_id, role, effective_from)
    );

    create table psa.resources (
      id text primary key,
      name text not null,
      email text unique,
      role text not null,
      cost_rate_minor bigint not null check (cost_rate_minor >= 0),
      cost_currency text not null check (cost_currency ~ '^[A-Z]{3}$'),
      legal_entity_id text not null,
      capacity_minutes_per_week integer not null check (capacity_minutes_per_week between 0 and 10080),
      active boolean not null default true,
      created_at timestamptz not null default now()
    );
    create index resources_name_idx on psa.resources (name, id);

    create table psa.projects (
      id text primary key,
      code text not null unique,
      name text not null check (length(btrim(name)) > 0),
      customer_id text not null,
      opportunity_id text unique,
      legal_entity_id text not null,
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      billable boolean not null default true,
      start_date date not null,
      end_date date,
      status text not null check (status in ('DRAFT','ACTIVE','CLOSED')),
      budget_minutes integer check (budget_minutes >= 0),
      budget_fee_minor bigint check (budget_fee_minor >= 0),
      service_line text not null,
      rate_card_id text references psa.rate_cards(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (end_date is null or end_date >= start_date)
    );
    create index projects_customer_idx on psa.projects (customer_id, name);
    create index projects_name_idx on psa.projects (name, id);
    create index projects_status_idx on psa.projects (status);

    create table psa.contracts (
      id text primary key,
      project_id text not null unique references psa.projects(id),
      customer_id text not null,
      billing_model text not null check (billing_model in ('TIME_AND_MATERIALS','FIXED_FEE','MILESTONES')),
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      cap_minor bigint check (cap_minor >= 0),
      fixed_fee_minor bigint check (fixed_fee_minor >= 0),
      rounding_increment_minutes integer not null default 15 check (rounding_increment_minutes in (1, 6, 15, 30, 60)),
      rounding_mode text not null default 'UP' check (rounding_mode in ('UP','NEAREST','DOWN')),
      start_date date not null,
      end_date date,
      status text not null check (status in ('DRAFT','ACTIVE','CLOSED')),
      created_at timestamptz not null default now(),
      check (billing_model <> 'FIXED_FEE' or fixed_fee_minor is not null)
    );

    -- Overrides of the rate card. Resolution, most specific first: time entry override, project+resource,
    -- project+role, customer+role, rate card role default (docs/rates.md).
    create table psa.rate_overrides (
      id text primary key,
      scope text not null check (scope in ('PROJECT_RESOURCE','PROJECT_ROLE','CUSTOMER_ROLE')),
      project_id text references psa.projects(id),
      customer_id text,
      resource_id text references psa.resources(id),
      role text,
      rate_minor bigint not null check (rate_minor >= 0),
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      effective_from date not null,
      check (
        (scope = 'PROJECT_RESOURCE' and project_id is not null and resource_id is not null) or
        (scope = 'PROJECT_ROLE' and project_id is not null and role is not null) or
        (scope = 'CUSTOMER_ROLE' and customer_id is not null and role is not null)
      )
    );
    create index rate_overrides_project_idx on psa.rate_overrides (project_id);
    create index rate_overrides_customer_idx on psa.rate_overrides (customer_id);

    create table psa.tasks (
      id text primary key,
      project_id text not null references psa.projects(id),
      name text not null,
      billable boolean not null default true
    );
    create index tasks_project_idx on psa.tasks (project_id);

    create table psa.assignments (
      id text primary key,
      project_id text not null references psa.projects(id),
      resource_id text not null references psa.resources(id),
      role text not null,
      start_date date not null,
      end_date date,
      planned_minutes integer not null default 0 check (planned_minutes >= 0),
      unique (project_id, resource_id, role)
    );
    create index assignments_resource_idx on psa.assignments (resource_id);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table psa.assignments, psa.tasks, psa.rate_overrides, psa.contracts, psa.projects, psa.resources, psa.rate_card_rates, psa.rate_cards, psa.customer_refs`.execute(
    db,
  );
}
