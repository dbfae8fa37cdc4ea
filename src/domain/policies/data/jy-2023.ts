// 姜堰区公共数据管理办法 (泰姜政发〔2023〕24号) — seed 002. District level, modelled on sip-2021;
// Taizhou city has no text in the set, so what Jiangyan leaves open falls to js-2020.
import type { Policy } from '../types';
import { APPROVE_OR_REFUSE, defineRules } from './define';

export const JY_2023: Policy = {
  id: 'jy-2023',
  title: '姜堰区公共数据管理办法',
  jurisdiction: 'taizhou-jiangyan',
  status: 'issued',
  // jy-2023:42 — in force on issue; the notice is dated 2023年4月13日 (成文日期 2023-04-13).
  effectiveFrom: '2023-04-13',
  effectiveTo: null,
  effectiveCitation: 'jy-2023:42',
  scope: 'all',
  adopted: true,
  version: 1,
  processes: {
    'share-request': defineRules(
      {
        // jy-2023:23 — the working agency records (备案) first, then grants.
        key: 'unconditional_grant',
        decidedBy: 'operations',
        steps: ['record', 'grant'],
        citation: 'jy-2023:23',
        note: 'The text sets no period for the record: it is made as part of the grant, before access opens.',
      },
      {
        key: 'joint_review',
        countFrom: 'request_received',
        onMissed: 'escalate',
        decidedBy: 'competent',
        consults: ['provider'],
        actions: APPROVE_OR_REFUSE,
        requiredFields: { refuse: ['legalBasis'] },
        supersedes: ['provider_review'],
        citation: 'jy-2023:23',
        setting: {
          reason: 'jy-2023:23 sets no period for the joint review.',
          workingDays: 'share-request.joint_review.workingDays',
        },
        note:
          'Reviewed by the competent department together with the responsible department. Art. 23 says ' +
          '授权共享类 where art. 21 names the class 有条件共享: read as the same class. No refusal without ' +
          'legal basis (jy-2023:21). The text deems nothing: overdue escalates.',
      },
    ),
    objection: defineRules({
      // jy-2023:20 — found → reported → investigated → corrected → feedback → confirmed.
      key: 'closed_loop',
      decidedBy: 'provider',
      steps: ['discover', 'report', 'investigate', 'correct', 'feedback', 'confirm'],
      citation: 'jy-2023:20',
      note: 'The period is not set here ("及时校正"): it comes from the level above.',
    }),
    'catalog-entry': defineRules(
      {
        // jy-2023:8 — the competent department gathers and reviews (汇总、审核) the catalog, one
        // source per data item (一数一源), naming the responsible department.
        key: 'review',
        countFrom: 'entry_received',
        onMissed: 'escalate',
        decidedBy: 'competent',
        actions: ['approve', 'return', 'refuse'],
        requiredFields: { refuse: ['legalBasis'], return: ['issues'] },
        citation: 'jy-2023:8',
        setting: { reason: 'jy-2023:8 sets no period for the review.', workingDays: 'catalog-entry.review.workingDays' },
      },
      {
        // jy-2023:8 — the reviewed catalog is published once the district's digital-government leading group office (领导小组办公室) approves it.
        key: 'approval',
        countFrom: 'review_approved',
        onMissed: 'escalate',
        decidedBy: 'government',
        actions: APPROVE_OR_REFUSE,
        requiredFields: { refuse: ['legalBasis'] },
        citation: 'jy-2023:8',
        setting: { reason: 'jy-2023:8 sets no period for the approval.', workingDays: 'catalog-entry.approval.workingDays' },
      },
      { key: 'publication', citation: 'jy-2023:8' },
    ),
    'security-incident': defineRules(
      {
        key: 'emergency_plan',
        citation: 'jy-2023:32',
        note: 'On an incident the agency starts its emergency plan at once (立即启动应急预案), keeps records and reports.',
      },
      {
        key: 'remediation',
        countFrom: 'detected',
        onMissed: 'escalate',
        decidedBy: 'provider',
        actions: ['complete'],
        requiredFields: { complete: ['measures'] },
        citation: 'jy-2023:32',
        setting: { reason: 'jy-2023:32 says "立即" (immediately) and gives no number.', hours: 'security-incident.remediation.hours' },
        note: 'Emergency measures to limit the damage and stop it spreading, records kept; jy-2023:34 likewise for personal or important data.',
      },
      {
        key: 'report',
        countFrom: 'detected',
        onMissed: 'escalate',
        decidedBy: 'competent',
        consults: ['cyberspace'],
        actions: ['acknowledge'],
        citation: 'jy-2023:34',
        setting: { reason: 'jy-2023:34 requires the report "按照规定" and gives no period.', hours: 'security-incident.report.hours' },
        note: 'Reported to the competent department (有关主管部门) and the cyberspace department (网络安全主管部门).',
      },
      {
        key: 'notification',
        countFrom: 'detected',
        onMissed: 'escalate',
        decidedBy: 'provider',
        actions: ['notify'],
        requiredFields: { notify: ['notifiedCount', 'channel'] },
        citation: 'jy-2023:34',
        setting: { reason: 'jy-2023:34 says "及时告知该自然人" (promptly) and gives no number.', hours: 'security-incident.notification.hours' },
        note: 'Where personal data leaks, is destroyed or lost (or may be): the data handler tells the persons affected.',
      },
    ),
    'third-party-authorisation': defineRules({
      key: 'filing',
      countFrom: 'filing_received',
      onMissed: 'escalate',
      decidedBy: 'competent',
      actions: ['file', 'return'],
      requiredFields: { return: ['issues'] },
      citation: 'jy-2023:33',
      setting: {
        reason: 'jy-2023:33 requires the authorisation to be filed (报公共数据主管部门备案) but sets no period for recording it.',
        workingDays: 'third-party-authorisation.filing.workingDays',
      },
      note:
        'An agency may authorise a third-party professional body to aggregate (归集) and process data, by legality, necessity ' +
        'and minimisation (least scope: only its own data); the authorisation changes neither ownership nor the ' +
        "agency's responsibility, and is filed with the competent department.",
    }),
  },
};
