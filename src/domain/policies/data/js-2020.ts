// 江苏省公共数据管理办法（草案）（公开征求意见稿） — seed 001. Province level: the rule every
// Jiangsu case falls back on where a city or district text is silent.
import type { Policy } from '../types';
import { APPROVE_OR_REFUSE, defineRules } from './define';

export const JS_2020: Policy = {
  id: 'js-2020',
  title: '江苏省公共数据管理办法（草案）',
  jurisdiction: 'jiangsu',
  status: 'draft',
  // js-2020:53 — "本办法自    年  月  日起施行": the date is blank, so the window is open-ended
  // until an admin records one; adopted by default (API.md).
  effectiveFrom: null,
  effectiveTo: null,
  effectiveCitation: 'js-2020:53',
  effectiveNote: 'The commencement date is blank in the draft: open-ended until an admin sets it.',
  scope: 'all',
  adopted: true,
  version: 1,
  processes: {
    'share-request': defineRules(
      {
        key: 'unconditional_grant',
        decidedBy: 'operations',
        steps: ['grant'],
        citation: 'js-2020:21',
        note: '¶1: the operations agency opens the subscription unconditionally; no review, no prior record.',
      },
      {
        // js-2020:21 — 5 working days, then deemed consent (视为同意).
        key: 'provider_review',
        workingDays: 5,
        countFrom: 'request_received',
        onMissed: 'deem_consent',
        decidedBy: 'provider',
        actions: APPROVE_OR_REFUSE,
        requiredFields: { refuse: ['legalBasis'] },
        citation: 'js-2020:21',
        note:
          '¶2: without a law, regulation or rule (法律、法规、规章) the request may not be refused; ' +
          'a provider that has not decided by the deadline is deemed to consent and access is opened.',
      },
      {
        key: 'not_shared_review',
        countFrom: 'request_received',
        onMissed: 'escalate',
        decidedBy: 'provider',
        actions: ['provide_desensitised', 'refuse'],
        requiredFields: { refuse: ['legalBasis'] },
        citation: 'js-2020:19',
        setting: {
          reason: 'js-2020:19 sets no period for answering a request for non-shared data.',
          workingDays: 'share-request.not_shared_review.workingDays',
        },
        note: '¶3: non-shared data may be provided after desensitisation unless a law or regulation forbids it.',
      },
      {
        key: 'copy_consent',
        countFrom: 'request_received',
        onMissed: 'escalate',
        decidedBy: 'competent',
        actions: ['consent', 'refuse'],
        citation: 'js-2020:20',
        setting: {
          reason: 'js-2020:20 requires consent to copying but sets no period.',
          workingDays: 'share-request.copy_consent.workingDays',
        },
        note:
          'Request-response API access is the rule; copying or any other mode needs the consent of the ' +
          'competent department of the same level (同级公共数据主管部门).',
      },
    ),
    'share-demand': defineRules(
      {
        // js-2020:22 — 5 working days to respond; no deemed consent.
        key: 'provider_response',
        workingDays: 5,
        countFrom: 'request_received',
        onMissed: 'escalate',
        decidedBy: 'provider',
        actions: ['agree', 'refuse'],
        requiredFields: { refuse: ['legalBasis'] },
        citation: 'js-2020:22',
        note: 'A refusal states its legal basis. The text deems nothing: overdue escalates (js-2020:49).',
      },
      {
        // js-2020:22 — 10 working days from the reply to aggregate and share.
        key: 'delivery',
        workingDays: 10,
        countFrom: 'reply',
        onMissed: 'escalate',
        decidedBy: 'provider',
        actions: ['deliver'],
        citation: 'js-2020:22',
      },
    ),
    'open-data-application': defineRules(
      {
        // js-2020:27 — at once if possible, else within 15 working days of receipt.
        key: 'provider_review',
        workingDays: 15,
        countFrom: 'provider_received',
        onMissed: 'escalate',
        decidedBy: 'provider',
        actions: APPROVE_OR_REFUSE,
        requiredFields: { approve: ['purpose', 'scope'], refuse: ['reason', 'legalBasis'] },
        citation: 'js-2020:27',
        note:
          'Approval states the purpose and scope of use; refusal states reasons (27¶2) and its legal basis, ' +
          'since refusing to open data without one is a breach (js-2020:49 item 2). No deemed consent.',
      },
      {
        key: 'agreement',
        clauses: ['purpose', 'security_safeguards'],
        citation: 'js-2020:26',
        note:
          '¶2: conditional data is opened under a signed data-use agreement stating purpose and safeguards, ' +
          'by download, API or data sandbox. No period in the text.',
      },
    ),
    objection: defineRules(
      {
        key: 'correction',
        countFrom: 'objection_received',
        onMissed: 'escalate',
        decidedBy: 'provider',
        consults: ['operations'],
        extensionApprovedBy: 'competent',
        citation: 'js-2020:45',
        setting: {
          reason: 'js-2020:45 says "及时" (promptly) and sets no limit for complex cases.',
          workingDays: 'objection.correction.workingDays',
          maxWorkingDays: 'objection.correction.maxWorkingDays',
        },
        note:
          '¶2: the provider, with the operations agency, handles the objection and gives feedback. The text ' +
          'has no extension procedure; approval by the competent department follows PROCESSES.md.',
      },
      {
        key: 'dispute_mark',
        decidedBy: 'provider',
        citation: 'js-2020:45',
        note: '¶2: the provider promptly marks (标注) the data as disputed and verifies it.',
      },
    ),
    'quality-rectification': defineRules({
      key: 'rectification',
      countFrom: 'task_received',
      onMissed: 'escalate',
      decidedBy: 'provider',
      initiatedBy: 'operations',
      citation: 'js-2020:17',
      setting: {
        reason: 'js-2020:17 says "在规定的期限内" without prescribing the period.',
        workingDays: 'quality-rectification.rectification.workingDays',
      },
      note: '¶2: the operations agency checks quality and reports findings; the provider verifies and corrects.',
    }),
    'rights-claim': defineRules({
      key: 'verification',
      countFrom: 'claim_received',
      onMissed: 'escalate',
      decidedBy: 'provider',
      actions: ['suspend', 'withdraw', 'keep_open'],
      citation: 'js-2020:36',
      setting: {
        reason: 'js-2020:36¶1 gives the claimant the right to demand suspension or withdrawal, with no period.',
        workingDays: 'rights-claim.verification.workingDays',
      },
      note: '¶2: a provider that itself finds a security risk suspends or withdraws the data immediately.',
    }),
    'catalog-entry': defineRules(
      {
        // js-2020:10 — each level's competent department gathers, reviews (审核) and reports the
        // catalog; a duplicate found in review is settled by naming the collecting department.
        key: 'review',
        countFrom: 'entry_received',
        onMissed: 'escalate',
        decidedBy: 'competent',
        actions: ['approve', 'return', 'refuse'],
        requiredFields: { refuse: ['legalBasis'], return: ['issues'] },
        citation: 'js-2020:10',
        setting: { reason: 'js-2020:10 sets no period for the review.', workingDays: 'catalog-entry.review.workingDays' },
      },
      {
        // js-2020:10 — agencies publish (发布) and maintain their catalog.
        key: 'publication',
        citation: 'js-2020:10',
      },
    ),
    'catalog-update': defineRules({
      // js-2020:10 — the catalog is updated and maintained (更新维护); the text sets no period.
      key: 'update',
      countFrom: 'duty_issued',
      onMissed: 'escalate',
      decidedBy: 'provider',
      citation: 'js-2020:10',
      setting: { reason: 'js-2020:10 sets no period for an update.', workingDays: 'catalog-update.update.workingDays' },
    }),
    'security-incident': defineRules(
      {
        key: 'remediation',
        countFrom: 'detected',
        onMissed: 'escalate',
        decidedBy: 'provider',
        actions: ['complete'],
        requiredFields: { complete: ['measures'] },
        citation: 'js-2020:39',
        setting: { reason: 'js-2020:39 says "立即" (immediately) and gives no number.', hours: 'security-incident.remediation.hours' },
        note: '¶2: on a leak, destruction or loss, or a security risk, the agency takes remedial measures at once.',
      },
      {
        key: 'report',
        countFrom: 'detected',
        onMissed: 'escalate',
        decidedBy: 'competent',
        consults: ['cyberspace'],
        actions: ['acknowledge'],
        citation: 'js-2020:39',
        setting: { reason: 'js-2020:39 requires the report "按照规定" and gives no period.', hours: 'security-incident.report.hours' },
        note: '¶2: reported to the competent department (公共数据主管部门) and the cyberspace department (网信部门) of its level.',
      },
    ),
    'reassessment': defineRules({
      // js-2020:25¶3 — the provider reassesses conditional-open data periodically (定期进行评估) and
      // moves what qualifies to unconditional open promptly (及时); no period is given.
      key: 'review',
      countFrom: 'run_scheduled',
      onMissed: 'escalate',
      decidedBy: 'provider',
      actions: ['keep', 'reclassify'],
      requiredFields: { keep: ['reason'], reclassify: ['openClass', 'reason'] },
      citation: 'js-2020:25',
      setting: { reason: 'js-2020:25¶3 says 定期 and 及时 and sets no period for the review.', workingDays: 'reassessment.review.workingDays' },
      note: '¶3: conditional-open data is reassessed periodically and, where it qualifies, promptly made unconditional.',
    }),
    dispute: defineRules(
      {
        key: 'negotiation',
        decidedBy: 'provider',
        actions: ['agree', 'fail'],
        requiredFields: { agree: ['resolution'], fail: ['reason'] },
        citation: 'js-2020:45',
        setting: { reason: 'js-2020:45 says "协商不成的" and sets no period after which negotiation has failed.', workingDays: 'dispute.negotiation.workingDays' },
        note: '¶1: agencies in a dispute over sharing, opening, use or management of public data negotiate; each agency answers for its data (provider). The period ending is negotiation failing: the case goes to coordination.',
      },
      {
        key: 'coordination',
        countFrom: 'negotiation_failed',
        onMissed: 'escalate',
        decidedBy: 'competent',
        actions: ['determine'],
        requiredFields: { determine: ['determination'] },
        citation: 'js-2020:45',
        setting: { reason: 'js-2020:45 lets the competent department coordinate (协调解决) and sets no period.', workingDays: 'dispute.coordination.workingDays' },
        note: '¶1: when negotiation fails, the competent department (公共数据主管部门) may coordinate and settle it. No expert route in this text.',
      },
    ),
  },
};
