import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
// Billing's project table is its rules (one per project, with the customer). Every invoice and
// billable item names a project and a customer; both must be the rule's, or a project's sums would
// take in another customer's amounts and the portal row rules, which judge a project by its rule,
// would be told a lie. Documents hanging off one another stay with one customer the same way.
// Constraints named *_same_customer are reported to clients as CUSTOMER_MISMATCH.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table billing.rules add constraint rules_project_customer_key unique (project_id, customer_id);
    alter table billing.invoices add constraint invoices_project_same_customer
      foreign key (project_id, customer_id) references billing.rules (project_id, customer_id);
    alter table billing.billable_items add constraint billable_items_project_same_customer
      foreign key (project_id, customer_id) references billing.rules (project_id, customer_id);
    alter table billing.invoices add constraint invoices_id_customer_key unique (id, customer_id);
    alter table billing.credit_memos add constraint credit_memos_invoice_same_customer
      foreign key (invoice_id, customer_id) references billing.invoices (id, customer_id);

    -- Lines carry no project or customer of their own, so what hangs on a line is checked against the
    -- line's invoice when it is attached. Invoices never change project or customer once written.
    create function billing.assert_item_on_own_invoice() returns trigger language plpgsql as $fn$
    begin
      if not exists (select 1 from billing.invoice_lines l join billing.invoices i on i.id = l.invoice_id
                      where l.id = new.invoice_line_id and i.project_id = new.project_id and i.customer_id = new.customer_id) then
        raise exception 'billable item % of project % cannot go on invoice line %, which bills another project or customer',
          new.id, new.project_id, new.invoice_line_id
          using errcode = '23514', constraint = 'billable_items_invoice_same_customer';
      end if;
      return new;
    end $fn$;
    create trigger billable_items_invoice_same_customer
      before insert or update of invoice_line_id, project_id, customer_id on billing.billable_items
      for each row when (new.invoice_line_id is not null) execute function billing.assert_item_on_own_invoice();

    create function billing.assert_milestone_of_invoice_project() returns trigger language plpgsql as $fn$
    begin
      if not exists (select 1 from billing.milestones m join billing.invoices i on i.project_id = m.project_id
                      where m.id = new.milestone_id and i.id = new.invoice_id) then
        raise exception 'invoice line % cannot bill milestone %, which belongs to another project', new.id, new.milestone_id
          using errcode = '23514', constraint = 'invoice_lines_milestone_same_customer';
      end if;
      return new;
    end $fn$;
    create trigger invoice_lines_milestone_same_customer
      before insert or update of milestone_id, invoice_id on billing.invoice_lines
      for each row when (new.milestone_id is not null) execute function billing.assert_milestone_of_invoice_project();

    create function billing.assert_credit_of_memo_invoice() returns trigger language plpgsql as $fn$
    begin
      if not exists (select 1 from billing.credit_memos m join billing.invoice_lines l on l.invoice_id = m.invoice_id
                      where m.id = new.credit_memo_id and l.id = new.invoice_line_id) then
        raise exception 'credit memo line % cannot credit invoice line %, which is not on the memo''s invoice', new.id, new.invoice_line_id
          using errcode = '23514', constraint = 'credit_memo_lines_invoice_same_customer';
      end if;
      return new;
    end $fn$;
    create trigger credit_memo_lines_invoice_same_customer
      before insert or update of credit_memo_id, invoice_line_id on billing.credit_memo_lines
      for each row execute function billing.assert_credit_of_memo_invoice();
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop trigger credit_memo_lines_invoice_same_customer on billing.credit_memo_lines;
    drop function billing.assert_credit_of_memo_invoice();
    drop trigger invoice_lines_milestone_same_customer on billing.invoice_lines;
    drop function billing.assert_milestone_of_invoice_project();
    drop trigger billable_items_invoice_same_customer on billing.billable_items;
    drop function billing.assert_item_on_own_invoice();
    alter table billing.credit_memos drop constraint credit_memos_invoice_same_customer;
    alter table billing.invoices drop constraint invoices_id_customer_key;
    alter table billing.billable_items drop constraint billable_items_project_same_customer;
    alter table billing.invoices drop constraint invoices_project_same_customer;
    alter table billing.rules drop constraint rules_project_customer_key;
  `.execute(db);
}
