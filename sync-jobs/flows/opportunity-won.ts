/**
 * Flow 1: opportunity won -> project activation. Validates what the deal needs to be delivered and
 * billed (customer, ERP financial master, contract terms, service-line mapping), then creates the
 * project, contract and rate card in psa, the project in time, billing rules and milestones in
 * billing, and the contract reference in erp, all through each system's own API in one transaction.
 */
import { formatMoney } from '../../lib/money.ts';
import * as billing from '../../subgraphs/billing/api/index.ts';
import { findCustomersByIds } from '../../subgraphs/crm/data/customers.ts';
import { findOpportunitiesByIds, findOpportunityMilestones, findWorkstreams } from '../../subgraphs/crm/data/opportunities.ts';
import * as erp from '../../subgraphs/erp/api/index.ts';
import { findMastersByCustomerIds } from '../../subgraphs/erp/data/customer-masters.ts';
import * as psa from '../../subgraphs/psa/api/index.ts';
import * as time from '../../subgraphs/time/api/index.ts';
import { BusinessRuleFailure } from '../failures.ts';
import type { Flow } from '../flow.ts';
import { requireActivationAllowed } from './credit-control.ts';
import { fixedFeeSchedule } from './fixed-fee-schedule.ts';

export const opportunityWon: Flow = {
  kind: 'OPPORTUNITY_WON',
  system: 'psa',
  // Started by OPPORTUNITY_WON (lib/triggers.ts), fired in the transaction of the write that caused it.
  trigger: {
    event: 'OPPORTUNITY_WON',
    job: (event) => ({ sourceType: 'Opportunity', sourceId: event.opportunityId, customerId: event.customerId }),
  },
  run: async ({ sys, job, mapping }) => {
    const [opp] = await findOpportunitiesByIds(sys.crm, [job.source_id]);
    if (!opp) throw new BusinessRuleFailure('NOT_FOUND', `Opportunity ${job.source_id} does not exist in the CRM`, 'crm', 'opportunityId');
    if (opp.stage !== 'CLOSED_WON')
      throw new BusinessRuleFailure('INVALID_STATE_TRANSITION', `Opportunity ${opp.id} is ${opp.stage}, not CLOSED_WON`, 'crm', 'stage');
    const [customer] = await findCustomersByIds(sys.crm, [opp.customer_id]);
    if (!customer) throw new BusinessRuleFailure('NOT_FOUND', `Customer ${opp.customer_id} does not exist in the CRM`, 'crm', 'customerId');
    if (customer.parent_id && !(await findCustomersByIds(sys.crm, [customer.parent_id])).length) {
      throw new BusinessRuleFailure(
        'NOT_FOUND',
        `Customer ${customer.id} names parent ${customer.parent_id}, which does not exist: fix the hierarchy in the CRM`,
        'crm',
        'parentId',
      );
    }

    const [master] = await findMastersByCustomerIds(sys.erp, [customer.id]);
    if (!master) {
      throw new BusinessRuleFailure(
        'MISSING_FINANCIAL_MASTER',
        `Customer ${customer.name} (${customer.id}) has no financial master in the ERP: create it with upsertCustomerFinancialMaster, then replay`,
        'erp',
        'customerId',
      );
    }
    if (!master.tax_code) {
      throw new BusinessRuleFailure(
        'MISSING_TAX_PROFILE',
        `Customer ${customer.name} (${customer.id}) has no tax profile in the ERP financial master: set taxCode, then replay`,
        'erp',
        'taxCode',
      );
    }
    if (!mapping.taxCodes[master.tax_code]) {
      throw new BusinessRuleFailure(
        'UNMAPPED_TAX_CODE',
        `Tax code ${master.tax_code} of customer ${customer.id} is not in the mapping file (version ${mapping.version})`,
        'mapping',
        'taxCode',
      );
    }
    if (master.payment_terms_days == null) {
      throw new BusinessRuleFailure(
        'MISSING_PAYMENT_TERMS',
        `Customer ${customer.name} (${customer.id}) has no payment terms in the ERP financial master: set paymentTermsDays, then replay`,
        'erp',
        'paymentTermsDays',
      );
    }
    if (!mapping.legalEntities[master.legal_entity_id]) {
      throw new BusinessRuleFailure(
        'UNMAPPED_LEGAL_ENTITY',
        `Legal entity ${master.legal_entity_id} is not in the mapping file (version ${mapping.version})`,
        'mapping',
        'legalEntityId',
      );
    }
    if (!mapping.serviceLines[opp.service_line]) {
      throw new BusinessRuleFailure(
        'UNMAPPED_SERVICE_LINE',
        `Service line ${opp.service_line} of opportunity ${opp.id} has no accounts in the mapping file (version ${mapping.version})`,
        'mapping',
        'serviceLine',
      );
    }
    if (opp.currency !== master.currency) {
      throw new BusinessRuleFailure(
        'CURRENCY_MISMATCH',
        `Opportunity ${opp.id} is in ${opp.currency} but customer ${customer.id} is billed in ${master.currency}: align the deal or the master`,
        'crm',
        'currency',
      );
    }

    await requireActivationAllowed(sys, mapping, master, opp.amount_minor);

    const workstreams = await findWorkstreams(sys.crm, [opp.id]);
    const milestones = await findOpportunityMilestones(sys.crm, [opp.id]);
    if (opp.billing_model === 'TIME_AND_MATERIALS' && !workstreams.length) {
      throw new BusinessRuleFailure(
        'MISSING_CONTRACT_TERMS',
        `T&M opportunity ${opp.id} has no workstreams: the rate card needs roles and rates`,
        'crm',
        'workstreams',
      );
    }
    if (opp.billing_model === 'MILESTONES' && !milestones.length) {
      throw new BusinessRuleFailure('MISSING_CONTRACT_TERMS', `Milestone opportunity ${opp.id} has no milestones`, 'crm', 'milestones');
    }
    if (opp.billing_model === 'FIXED_FEE' && opp.amount_minor <= 0) {
      throw new BusinessRuleFailure('MISSING_CONTRACT_TERMS', `Fixed-fee opportunity ${opp.id} has no amount`, 'crm', 'amount');
    }

    // The project, its contract and its rate card start on the day the deal was won (a won deal always
    // has won_at: a check constraint in crm). Never the day the job runs: a retry or a replay a month
    // later must build the same project.
    const startDate = opp.won_at!.toISOString().slice(0, 10);
    await psa.upsertCustomerRef(sys.psa, {
      customerId: customer.id,
      name: customer.name,
      legalEntityId: master.legal_entity_id,
      currency: master.currency,
      paymentTermsDays: master.payment_terms_days,
    });
    // Ids derived from the source make every create a lookup on replay.
    const rateCard = await psa.createRateCard(sys.psa, {
      id: `rc_${opp.id}`,
      name: `${opp.name} rates`,
      currency: opp.currency,
      rates: uniqueRoles(workstreams).map((w) => ({
        role: w.role,
        rate: formatMoney(w.rate_minor, opp.currency),
        effectiveFrom: startDate,
      })),
    });
    const soldMinutes = workstreams.reduce((s, w) => s + w.minutes, 0);
    const project = await psa.createProject(sys.psa, {
      id: `prj_${opp.id}`,
      code: `P-${opp.id.replace(/^opp_/, '').toUpperCase()}`,
      name: opp.name,
      customerId: customer.id,
      opportunityId: opp.id,
      legalEntityId: master.legal_entity_id,
      currency: opp.currency,
      billable: true,
      startDate,
      budgetHours: soldMinutes ? soldMinutes / 60 : null,
      budgetFee: formatMoney(opp.amount_minor, opp.currency),
      serviceLine: opp.service_line,
      rateCardId: rateCard.id,
    });
    const contract = await psa.createContract(sys.psa, {
      projectId: project.id,
      billingModel: opp.billing_model,
      fixedFee: opp.billing_model === 'FIXED_FEE' ? formatMoney(opp.amount_minor, opp.currency) : null,
      roundingIncrementMinutes: 15,
      roundingMode: 'UP',
      startDate,
    });
    const active = project.status === 'DRAFT' ? await psa.activateProject(sys.psa, project.id) : project;

    await time.upsertTimeProject(sys.time, {
      id: project.id,
      customerId: customer.id,
      name: project.name,
      status: 'ACTIVE',
      billable: project.billable,
      startDate: project.start_date,
      endDate: project.end_date,
    });

    await billing.upsertBillingAccount(sys.billing, {
      customerId: customer.id,
      name: customer.name,
      legalEntityId: master.legal_entity_id,
      currency: master.currency,
      paymentTermsDays: master.payment_terms_days,
      taxCode: master.tax_code,
    });
    await billing.upsertBillingRule(sys.billing, {
      projectId: project.id,
      customerId: customer.id,
      contractId: contract.id,
      legalEntityId: master.legal_entity_id,
      billingModel: opp.billing_model,
      currency: opp.currency,
      capMinor: contract.cap_minor,
      fixedFeeMinor: contract.fixed_fee_minor,
      roundingIncrementMinutes: contract.rounding_increment_minutes,
      roundingMode: contract.rounding_mode,
      serviceLine: opp.service_line,
    });
    const created = [];
    if (opp.billing_model === 'FIXED_FEE') {
      const { instalments, intervalMonths } = mapping.money.fixedFeeSchedule;
      const schedule = fixedFeeSchedule(opp.amount_minor, startDate, instalments, intervalMonths);
      for (const i of schedule) {
        created.push(
          await billing.addMilestone(sys.billing, {
            // Derived from the deal, so a replay finds the same instalments.
            id: `ms_${opp.id}_fee${i.seq}`,
            projectId: project.id,
            name: `Fixed fee, instalment ${i.seq} of ${schedule.length}`,
            amountMinor: i.amountMinor,
            currency: opp.currency,
            dueDate: i.dueDate,
          }),
        );
      }
    }
    for (const m of milestones) {
      created.push(
        await billing.addMilestone(sys.billing, {
          id: `ms_${m.id}`,
          projectId: project.id,
          name: m.name,
          amountMinor: m.amount_minor,
          currency: opp.currency,
          dueDate: m.due_date,
        }),
      );
    }

    await erp.upsertContractRef(sys.erp, {
      contractId: contract.id,
      projectId: project.id,
      customerId: customer.id,
      legalEntityId: master.legal_entity_id,
      currency: opp.currency,
      serviceLine: opp.service_line,
    });

    return {
      projectId: project.id,
      customerId: customer.id,
      targets: {
        psa: { Project: active.id, Contract: contract.id, RateCard: rateCard.id },
        time: { TimeProject: project.id },
        billing: { BillingRule: project.id, ...(created.length ? { Milestone: created.map((m) => m.id) } : {}) },
        erp: { ContractRef: contract.id },
      },
      detail: { projectStatus: active.status },
    };
  },
};

/** The opportunity's sold rate per role; with several workstreams of one role, the first one's rate. */
function uniqueRoles<T extends { role: string }>(rows: T[]): T[] {
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(r.role) && seen.add(r.role));
}
