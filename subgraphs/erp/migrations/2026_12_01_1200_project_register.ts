import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
// The erp has no project table of its own, yet journal lines, receivables and contract references
// all name a project and a customer. The project register holds the one customer of each project:
// the first row that names the project with a customer registers it (a statement trigger), and a
// foreign key holds every row to it. So a journal line can no longer book one customer's revenue on
// another's project, and the portal row rules, which judge a project by the register, cannot be
// told a lie. The keys are checked at commit: the trigger registers after the statement, and a
// posting writes its lines before the journal balance (also checked at commit) is known.
// Payments stay with their receivable's customer and invoice.
// Constraints named *_same_customer are reported to clients as CUSTOMER_MISMATCH.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table erp.project_customers (
      project_id text primary key,
      customer_id text not null,
      unique (project_id, customer_id)
    );
    -- What is already there registers first; contract references, written by project activation, win.
    insert into erp.project_customers (project_id, customer_id)
    select distinct on (project_id) project_id, customer_id from (
      select project_id, customer_id, 1 as rank from erp.contract_refs
      union all select project_id, customer_id, 2 from erp.receivables where project_id is not null
      union all select project_id, customer_id, 3 from erp.journal_lines where project_id is not null and customer_id is not null
    ) named order by project_id, rank;

    create function erp.register_project_customers() returns trigger language plpgsql as $fn$
    begin
      insert into erp.project_customers (project_id, customer_id)
      select distinct project_id, customer_id from new_rows where project_id is not null and customer_id is not null
      on conflict (project_id) do nothing;
      return null;
    end $fn$;
    create trigger journal_lines_register_project after insert on erp.journal_lines
      referencing new table as new_rows for each statement execute function erp.register_project_customers();
    create trigger journal_lines_register_project_on_update after update on erp.journal_lines
      referencing new table as new_rows for each statement execute function erp.register_project_customers();
    create trigger receivables_register_project after insert on erp.receivables
      referencing new table as new_rows for each statement execute function erp.register_project_customers();
    create trigger receivables_register_project_on_update after update on erp.receivables
      referencing new table as new_rows for each statement execute function erp.register_project_customers();
    create trigger contract_refs_register_project after insert on erp.contract_refs
      referencing new table as new_rows for each statement execute function erp.register_project_customers();
    create trigger contract_refs_register_project_on_update after update on erp.contract_refs
      referencing new table as new_rows for each statement execute function erp.register_project_customers();

    alter table erp.journal_lines add constraint journal_lines_project_same_customer
      foreign key (project_id, customer_id) references erp.project_customers (project_id, customer_id) deferrable initially deferred;
    alter table erp.receivables add constraint receivables_project_same_customer
      foreign key (project_id, customer_id) references erp.project_customers (project_id, customer_id) deferrable initially deferred;
    alter table erp.contract_refs add constraint contract_refs_project_same_customer
      foreign key (project_id, customer_id) references erp.project_customers (project_id, customer_id) deferrable initially deferred;

    alter table erp.receivables add constraint receivables_id_customer_invoice_key unique (id, customer_id, invoice_id);
    alter table erp.payments add constraint payments_receivable_same_customer
      foreign key (receivable_id, customer_id, invoice_id) references erp.receivables (id, customer_id, invoice_id);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    alter table erp.payments drop constraint payments_receivable_same_customer;
    alter table erp.receivables drop constraint receivables_id_customer_invoice_key;
    alter table erp.contract_refs drop constraint contract_refs_project_same_customer;
    alter table erp.receivables drop constraint receivables_project_same_customer;
    alter table erp.journal_lines drop constraint journal_lines_project_same_customer;
    drop trigger contract_refs_register_project_on_update on erp.contract_refs;
    drop trigger contract_refs_register_project on erp.contract_refs;
    drop trigger receivables_register_project_on_update on erp.receivables;
    drop trigger receivables_register_project on erp.receivables;
    drop trigger journal_lines_register_project_on_update on erp.journal_lines;
    drop trigger journal_lines_register_project on erp.journal_lines;
    drop function erp.register_project_customers();
    drop table erp.project_customers;
  `.execute(db);
}
