// P9 security incident 安全事件 (sip-2021:33, 35; js-2020:39; cm-draft:29–30; jy-2023:32, 34): an
// agency whose public data leaks, is tampered with or lost, or is at risk, starts its emergency
// plan at once, takes remedial measures, reports to the competent and cyberspace departments and,
// where personal information is involved, tells the persons affected. "立即" and "及时" carry no
// number: each period is a setting in hours (a leak does not wait for Monday), counted from the
// detection. A missed period escalates (js-2020:49); the competent department closes the case once
// every step is done. Pure: no I/O, no clock.
import { newCaseView, type CaseStart, type CaseView } from './cases';
import type { ResolvedRule, ResolvedRules } from './policies/types';
import { PlanError } from './plan-error';
import type { ProcessDescriptor } from './process';
import { textField } from './json-schema';
import type { Assignee, Caller, Refusal } from './tasks';
import { deepFreeze } from './policies/plain';

export const INCIDENT_KINDS = ['leak', 'tampering', 'loss', 'risk'] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];
const KIND_NAMES: Record<IncidentKind, string> = { leak: '泄露', tampering: '篡改', loss: '丢失', risk: '安全风险' };

export const MAX_INCIDENT_DATASETS = 50;

export interface SecurityIncidentBody {
  kind: IncidentKind;
  datasetIds?: string[];
  description: string;
  personalInformation: boolean;
  /** When the incident was found: every period counts from here. */
  detectedAt: string;
  /** The case that found it, when another case opened this one (a rights claim's leak, P6). */
  fromCaseId?: string;
}

export interface SecurityIncidentInput extends CaseStart {
  /** The agency the incident happened to, which reports it and takes the measures. */
  reporter: { principalId: string; agencyId: string; role: 'provider' | 'operations' };
  incident: SecurityIncidentBody;
}

/** responding (every step running) → closed by the competent department. */
export const SECURITY_INCIDENT_STATUSES = ['responding', 'closed'] as const;

/** The departments a report goes to: js-2020:39 本级公共数据主管部门和网信部门; sip-2021:35 主管部门和网络安全主管部门. */
export const REPORTED_TO = ['competent', 'cyberspace'] as const;

export interface IncidentStep {
  rule: ResolvedRule;
  hours: number;
  citation: string;
}

export interface IncidentPlan {
  /** "立即启动应急预案": the article recorded with the case's first commit. */
  emergencyPlanCitation: string;
  remediation: IncidentStep;
  report: IncidentStep;
  /** Where a text requires telling the persons affected (sip-2021:35); null where none does. */
  notification: IncidentStep | null;
}

export class IncidentPlanError extends PlanError {}

function step(rules: ResolvedRules, key: string): IncidentStep | null {
  const rule = rules.rules[key];
  if (!rule) return null;
  if (!rule.hours) throw new IncidentPlanError(`rule "${key}" (${rule.citation}) has no period in hours`);
  return { rule, hours: rule.hours, citation: rule.citation };
}

export function incidentPlan(rules: ResolvedRules): IncidentPlan {
  const remediation = step(rules, 'remediation');
  const report = step(rules, 'report');
  if (!remediation || !report) {
    throw new IncidentPlanError(`no policy in force defines remediation and report here (${rules.unresolved.join(', ') || 'none unresolved'})`);
  }
  return {
    emergencyPlanCitation: rules.rules['emergency_plan']?.citation ?? remediation.citation,
    remediation,
    report,
    notification: step(rules, 'notification'),
  };
}

/** What a step's task offers: the measures taken, an acknowledgement, the notification made. */
export const REMEDIATION_TASK = deepFreeze({ actions: ['complete'], requiredFields: { complete: ['measures'] } });
export const REPORT_TASK = deepFreeze({ actions: ['acknowledge'], requiredFields: {} });
export const NOTIFICATION_TASK = deepFreeze({ actions: ['notify'], requiredFields: { notify: ['notifiedCount', 'channel'] } });

export function reporterAssignee(input: SecurityIncidentInput): Assignee {
  return { agencyId: input.reporter.agencyId, role: input.reporter.role, jurisdiction: input.jurisdiction };
}

/** The report goes to each department of the case's jurisdiction. */
export function departmentAssignee(input: SecurityIncidentInput, role: (typeof REPORTED_TO)[number]): Assignee {
  return { agencyId: null, role, jurisdiction: input.jurisdiction };
}

/**
 * Why `close` must be refused, or null: only the competent department of the case's jurisdiction
 * closes, only once every step is done, with a summary, and only once.
 */
export function closeRefusal(caller: Caller, fields: Record<string, unknown>, s: { status: string; jurisdiction: string; stepsLeft: number; citation: string }): Refusal | null {
  if (!caller.roles.includes('competent') || caller.jurisdiction !== s.jurisdiction) {
    return { status: 403, code: 'forbidden', message: `only the competent department of ${s.jurisdiction} closes a security incident` };
  }
  if (s.status === 'closed') return { status: 409, code: 'case_closed', message: 'the incident is already closed' };
  if (s.stepsLeft > 0) {
    return { status: 409, code: 'tasks_open', message: `${s.stepsLeft} step(s) of the response are not done yet: remediation, reports and notification come first (${s.citation})`, details: { stepsLeft: s.stepsLeft } };
  }
  const summary = fields.summary;
  if (typeof summary !== 'string' || !summary.trim()) {
    return { status: 422, code: 'missing_fields', message: '"close" needs summary', details: { missing: ['summary'] } };
  }
  return null;
}

export function securityIncidentView(input: SecurityIncidentInput): CaseView {
  const i = input.incident;
  return newCaseView(input, {
    type: 'security-incident',
    // The reporting agency is the party; a provider's colleagues see the case as its own.
    parties: { reportingAgencyId: input.reporter.agencyId, providerAgencyId: input.reporter.role === 'provider' ? input.reporter.agencyId : null },
    datasetId: i.datasetIds?.[0] ?? null,
    request: { ...i, ...(i.datasetIds ? { datasetIds: [...i.datasetIds] } : {}) },
    summary: `安全事件（${KIND_NAMES[i.kind]}${i.personalInformation ? '，涉及个人信息' : ''}）: ${input.reporter.agencyId}`,
  });
}

/** P9 as the platform knows it (domain/process.ts). */
export const SECURITY_INCIDENT: ProcessDescriptor<'security-incident'> = {
  id: 'security-incident',
  code: 'P9',
  tag: { name: 'Security incidents', description: 'P9 安全事件 (sip-2021:33, 35; js-2020:39; cm-draft:29–30)' },
  workflows: ['security-incident'],
  routes: ['security-incidents'],
  activities: ['security-incident'],
  caseActions: ['close'],
  ruleKeys: { required: ['remediation', 'report'], optional: ['emergency_plan', 'notification'] },
  settings: [
    {
      id: 'security-incident.remediation.hours',
      defaultValue: 24,
      unit: 'hours',
      citations: ['js-2020:39', 'sip-2021:33', 'sip-2021:35', 'jy-2023:32', 'cm-draft:30'],
      reason:
        'The texts say "立即采取补救措施" / "立即启动应急预案，迅速采取应急措施" (immediately) and give no number; ' +
        'the default gives the agency 24 hours from detection, rest days included.',
    },
    {
      id: 'security-incident.report.hours',
      defaultValue: 24,
      unit: 'hours',
      citations: ['js-2020:39', 'sip-2021:35', 'jy-2023:34', 'cm-draft:30'],
      reason:
        'js-2020:39 and sip-2021:35 require a report to the competent and cyberspace departments "按照规定" without a ' +
        'period; the default is 24 hours from detection, rest days included.',
    },
    {
      id: 'security-incident.notification.hours',
      defaultValue: 72,
      unit: 'hours',
      citations: ['sip-2021:35', 'jy-2023:34'],
      reason: 'sip-2021:35 says "及时告知该自然人" (promptly) and gives no number; the default is 72 hours from detection.',
    },
  ],
  decisionFields: {
    measures: textField(4000, '已采取的补救措施及保存的记录', 'remedial measures taken and the records kept'),
    notifiedCount: { type: 'integer', minimum: 0, maximum: 1_000_000_000, description: '已告知的自然人数 — number of persons notified' },
    channel: textField(200, '告知方式（短信、电话、公告等）', 'how they were told (SMS, phone, public notice, …)'),
  },
};
