/**
 * Start of a flow sync: the licence gate (WF-4) and the link of the flow to its period (WF-3).
 */
import { ApplicationFailure } from '@temporalio/common';
import { checkLicence, isFlowFinished } from '../../domain/wiseflow';
import { RejectedError } from '../../platform/errors';
import type { FlowSyncPraktikportalen, FlowSyncWiseflow } from './ports';

export interface LicenceCheckResult {
  licenseId: number;
  userDataTypeId: number;
  userDataTypeName: string;
}

/** Refuses, without retrying, a licence that carries no Praktikportalen id (WF-4). */
export async function checkWiseflowLicence(
  wiseflow: Pick<FlowSyncWiseflow, 'getLicenseInfo'>,
  configuredUserDataTypeId: number | undefined,
): Promise<LicenceCheckResult> {
  const licence = await wiseflow.getLicenseInfo();
  const verdict = checkLicence(licence, configuredUserDataTypeId);
  if (!verdict.ok) {
    throw ApplicationFailure.create({
      type: 'WiseflowLicenceRefused',
      nonRetryable: true,
      message: verdict.message,
    });
  }
  return {
    licenseId: licence.licenseId,
    userDataTypeId: verdict.userDataTypeId,
    userDataTypeName: verdict.userDataTypeName,
  };
}

export interface LinkFlowInput {
  flowId: number;
  periodNumber: string;
}

export interface LinkFlowResult {
  flowState: string;
  finished: boolean;
  periodTitle: string | null;
  externalSourceId: number | null;
}

/**
 * Adds the period as the flow's external source in WISEflow (409 "exists" answers the existing one,
 * so a repeat is harmless), after checking that both the flow and the period exist.
 */
export async function linkFlowToPeriod(
  wiseflow: Pick<FlowSyncWiseflow, 'getFlow' | 'addExternalSource'>,
  praktikportalen: Pick<FlowSyncPraktikportalen, 'getPeriod'>,
  input: LinkFlowInput,
): Promise<LinkFlowResult> {
  const flow = await wiseflow.getFlow(input.flowId);
  if (!flow) {
    throw new RejectedError(
      'WISEflow',
      `flow ${input.flowId} does not exist (or is not on this licence)`,
      404,
      'FlowNotFound',
    );
  }
  if (isFlowFinished(flow.state)) {
    return { flowState: flow.state, finished: true, periodTitle: null, externalSourceId: null };
  }
  const period = await praktikportalen.getPeriod(input.periodNumber);
  if (!period) {
    throw new RejectedError(
      'Praktikportalen',
      `internship period ${input.periodNumber} does not exist; check the period number`,
      404,
      'PeriodNotFound',
    );
  }
  const source = await wiseflow.addExternalSource(input.flowId, {
    reference: input.periodNumber,
    description: `Praktikportalen period ${input.periodNumber}`,
  });
  return { flowState: flow.state, finished: false, periodTitle: period.title, externalSourceId: source.id };
}
