import type { Flow } from '../flow.ts';
import { billingRun } from './billing-run.ts';
import { creditMemoIssued } from './credit-memo-issued.ts';
import { customerMasterChanged } from './customer-master-changed.ts';
import { invoiceIssued } from './invoice-issued.ts';
import { opportunityWon } from './opportunity-won.ts';
import { paymentReceived } from './payment-received.ts';
import { periodEnd } from './period-end.ts';
import { projectCost } from './project-cost.ts';
import { ratesChanged } from './rates-changed.ts';
import { receivableWrittenOff } from './receivable-written-off.ts';
import { timeApproved } from './time-approved.ts';
import { wipWrittenOff } from './wip-written-off.ts';

/** Every flow the engine runs, one per job kind (docs/sync.md). */
export const FLOWS: Flow[] = [
  opportunityWon,
  timeApproved,
  billingRun,
  invoiceIssued,
  paymentReceived,
  creditMemoIssued,
  customerMasterChanged,
  projectCost,
  ratesChanged,
  receivableWrittenOff,
  periodEnd,
  wipWrittenOff,
];
