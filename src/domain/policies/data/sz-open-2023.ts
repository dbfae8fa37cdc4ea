// 苏州市公共数据开放实施细则（修改稿） — seed 003. City level, open data only: it defines no share
// rule (P1, P2), so a Suzhou share request falls to js-2020. Many 第X条 headings are missing from
// the seed; article numbers here are counted between the headings that remain (e.g. the quality
// audit paragraph lies between 第十五条 and 第十七条, so it is art. 16).
import type { Policy } from '../types';
import { APPROVE_OR_REFUSE, defineRules } from './define';

export const SZ_OPEN_2023: Policy = {
  id: 'sz-open-2023',
  title: '苏州市公共数据开放实施细则（修改稿）',
  jurisdiction: 'suzhou',
  status: 'draft',
  // "本细则自2023年8月1日起施行,有效期至2026年7月31日": after that day the province takes over.
  effectiveFrom: '2023-08-01',
  effectiveTo: '2026-07-31',
  effectiveCitation: 'sz-open-2023:39',
  effectiveNote:
    'The commencement line follows 第三十九条 with no heading of its own; it is probably a final article ' +
    '(第四十条) whose heading was lost like fourteen others in this seed.',
  scope: 'open_data',
  adopted: true,
  version: 1,
  processes: {
    'open-data-application': defineRules(
      {
        key: 'application',
        requiredFields: {
          submit: ['title', 'reason', 'deliveryType', 'usagePeriod', 'resultForm', 'scenario', 'commitment'],
        },
        citation: 'sz-open-2023:20',
        note: 'The scenario is committed to be true, compliant and secure; data may not pass to third parties.',
      },
      {
        key: 'acceptance',
        countFrom: 'application_received',
        onMissed: 'escalate',
        decidedBy: 'competent',
        actions: ['accept', 'not_accept'],
        requiredFields: { not_accept: ['missingItems'] },
        citation: 'sz-open-2023:20',
        setting: {
          reason: 'sz-open-2023:20 sets no period for acceptance (受理).',
          workingDays: 'open-data-application.acceptance.workingDays',
        },
        note:
          'The city competent department (市大数据主管部门) accepts complete applications and passes them to ' +
          'the provider; an incomplete one is not accepted, with every reason told at once (一次性告知).',
      },
      {
        // sz-open-2023:20 — at once if possible, else within 10 working days of receipt.
        key: 'provider_review',
        workingDays: 10,
        countFrom: 'provider_received',
        onMissed: 'escalate',
        decidedBy: 'provider',
        actions: APPROVE_OR_REFUSE,
        requiredFields: { approve: ['purpose', 'scope'], refuse: ['reason', 'legalBasis'] },
        citation: 'sz-open-2023:20',
        note:
          'Approval states the purpose and scope of use and opens the data promptly; refusal gives reasons ' +
          'and the law, regulation or rule relied on. No deemed consent.',
      },
      {
        key: 'agreement',
        clauses: [
          'purpose',
          'scope',
          'manner_of_use',
          'follow_up_service_and_feedback',
          'prohibited_acts',
          'credit_commitment',
          'liability_for_breach',
          'dispute_resolution',
        ],
        citation: 'sz-open-2023:21',
        note:
          'Signed before conditional data is opened; no period in the text. Delivery by download, service ' +
          'API or algorithm-model results (sz-open-2023:22).',
      },
      {
        // sz-open-2023:23 — data outside the open catalog: answered within 10 working days.
        key: 'out_of_catalog_evaluation',
        workingDays: 10,
        countFrom: 'request_received',
        onMissed: 'escalate',
        decidedBy: 'provider',
        actions: APPROVE_OR_REFUSE,
        requiredFields: { refuse: ['reason', 'legalBasis'] },
        steps: ['privacy_commercial_secret_review', 'legality_review', 'expert_opinion'],
        citation: 'sz-open-2023:23',
        note:
          'Evaluated "按照本细则相关规定": the review steps of art. 15 (expert opinion where the question is ' +
          'specialised) and the refusal requirements of art. 20.',
      },
    ),
    objection: defineRules({
      // sz-open-2023:10 — 5 working days; a complex case, once approved, at most 30 in all.
      key: 'correction',
      workingDays: 5,
      maxWorkingDays: 30,
      countFrom: 'objection_received',
      onMissed: 'escalate',
      decidedBy: 'provider',
      extensionApprovedBy: 'competent',
      citation: 'sz-open-2023:10',
      note:
        'Complex case: provider and data user consult, the city competent department (市大数据主管部门) ' +
        'approves an extension; "原则上最多不超过30个工作日" is read as the total period.',
    }),
    'quality-rectification': defineRules({
      // sz-open-2023:16 — verify and correct within 10 working days of receiving the task.
      key: 'rectification',
      workingDays: 10,
      countFrom: 'task_received',
      onMissed: 'escalate',
      decidedBy: 'provider',
      initiatedBy: 'competent',
      citation: 'sz-open-2023:16',
      note: 'Last paragraph: the competent department audits open-data quality and issues the task on the platform.',
    }),
    'rights-claim': defineRules({
      key: 'verification',
      countFrom: 'claim_received',
      onMissed: 'escalate',
      decidedBy: 'provider',
      actions: ['withdraw', 'reopen_processed', 'keep_open'],
      citation: 'sz-open-2023:38',
      setting: {
        reason: 'sz-open-2023:38 says "立即核实" (verify immediately), which carries no number.',
        workingDays: 'rights-claim.verification.workingDays',
      },
      note: 'A leak found on verification starts remediation at once (P9).',
    }),
    'reassessment': defineRules({
      // sz-open-2023:8 — data outside the open scope is reviewed periodically (定期评估审查) and brought
      // into it when it may be opened; ¶3: conditional data that qualifies is made unconditional.
      key: 'review',
      countFrom: 'run_scheduled',
      onMissed: 'escalate',
      decidedBy: 'provider',
      actions: ['keep', 'reclassify'],
      requiredFields: { keep: ['reason'], reclassify: ['openClass', 'reason'] },
      citation: 'sz-open-2023:8',
      setting: { reason: 'sz-open-2023:8 says 定期 and 及时 and sets no period for the review.', workingDays: 'reassessment.review.workingDays' },
      note: 'The open scope is adjusted dynamically: data outside it is reviewed periodically, conditional data promptly made unconditional when it qualifies.',
    }),
    dispute: defineRules(
      {
        key: 'expert_consultation',
        countFrom: 'negotiation_failed',
        onMissed: 'escalate',
        decidedBy: 'competent',
        consults: ['expert_committee'],
        actions: ['refer_to_experts'],
        citation: 'sz-open-2023:11',
        setting: { reason: 'sz-open-2023:11 has the department consult the experts and report, within no period.', workingDays: 'dispute.coordination.workingDays' },
        note:
          'Disputes between agencies over who is the open provider (开放主体) of specific data only: negotiated by the parties; ' +
          'failing that, the competent department of the same level asks the expert committee (征求专家委员会意见) and reports ' +
          'to the government, which determines — the department does not determine such a dispute itself.',
      },
      {
        key: 'expert_opinion',
        countFrom: 'referred',
        onMissed: 'escalate',
        decidedBy: 'expert_committee',
        actions: ['opinion'],
        requiredFields: { opinion: ['opinion'] },
        citation: 'sz-open-2023:11',
        setting: { reason: 'sz-open-2023:11 sets no period for the expert committee’s opinion.', workingDays: 'dispute.expert_opinion.workingDays' },
      },
      {
        key: 'government_determination',
        countFrom: 'opinion_given',
        onMissed: 'escalate',
        decidedBy: 'government',
        actions: ['determine'],
        requiredFields: { determine: ['determination'] },
        citation: 'sz-open-2023:11',
        setting: { reason: 'sz-open-2023:11 has the government of the level determine (报本级人民政府确定) within no period.', workingDays: 'dispute.government_determination.workingDays' },
      },
    ),
  },
};
