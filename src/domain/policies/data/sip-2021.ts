// 苏州工业园区公共数据管理暂行办法 (苏园管规字〔2021〕4号) — seed 000. District level. It has no
// open-data procedure of its own: open-data rules in SIP come from sz-open-2023, then js-2020.
import type { Policy } from '../types';
import { APPROVE_OR_REFUSE, defineRules } from './define';

export const SIP_2021: Policy = {
  id: 'sip-2021',
  title: '苏州工业园区公共数据管理暂行办法',
  jurisdiction: 'suzhou-sip',
  status: 'issued',
  // sip-2021:43 — in force on issue; the notice is dated 2021年4月30日.
  effectiveFrom: '2021-04-30',
  effectiveTo: null,
  effectiveCitation: 'sip-2021:43',
  scope: 'all',
  adopted: true,
  version: 1,
  processes: {
    'share-request': defineRules(
      {
        // sip-2021:24 — the operations agency (大数据管理中心) records (备案) first, then grants.
        key: 'unconditional_grant',
        decidedBy: 'operations',
        steps: ['record', 'grant'],
        citation: 'sip-2021:24',
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
        citation: 'sip-2021:24',
        setting: {
          reason: 'sip-2021:24 sets no period for the joint review.',
          workingDays: 'share-request.joint_review.workingDays',
        },
        note:
          'Authorised sharing (授权共享) is reviewed by the competent department together with the responsible ' +
          'department. No refusal without legal basis (sip-2021:22¶3). The text deems nothing: overdue escalates.',
      },
    ),
    objection: defineRules({
      // sip-2021:21 — found → reported → investigated → corrected → feedback → confirmed.
      key: 'closed_loop',
      decidedBy: 'provider',
      steps: ['discover', 'report', 'investigate', 'correct', 'feedback', 'confirm'],
      citation: 'sip-2021:21',
      note:
        'The period is not set here ("及时校正"): it comes from the level above. The person the data is ' +
        'about may also object (sip-2021:15).',
    }),
    'catalog-entry': defineRules(
      {
        // sip-2021:8 — the competent department gathers and reviews (汇总、审核) the catalog, one
        // source per data item (一数一源), naming the responsible department.
        key: 'review',
        countFrom: 'entry_received',
        onMissed: 'escalate',
        decidedBy: 'competent',
        actions: ['approve', 'return', 'refuse'],
        requiredFields: { refuse: ['legalBasis'], return: ['issues'] },
        citation: 'sip-2021:8',
        setting: { reason: 'sip-2021:8 sets no period for the review.', workingDays: 'catalog-entry.review.workingDays' },
      },
      {
        // sip-2021:8 — the reviewed catalog is published once the executive committee (执委会) approves it.
        key: 'approval',
        countFrom: 'review_approved',
        onMissed: 'escalate',
        decidedBy: 'government',
        actions: APPROVE_OR_REFUSE,
        requiredFields: { refuse: ['legalBasis'] },
        citation: 'sip-2021:8',
        setting: { reason: 'sip-2021:8 sets no period for the approval.', workingDays: 'catalog-entry.approval.workingDays' },
      },
      { key: 'publication', citation: 'sip-2021:8' },
    ),
    'security-incident': defineRules(
      {
        key: 'emergency_plan',
        citation: 'sip-2021:33',
        note: 'On an incident the agency starts its emergency plan at once (立即启动应急预案), keeps records and reports.',
      },
      {
        key: 'remediation',
        countFrom: 'detected',
        onMissed: 'escalate',
        decidedBy: 'provider',
        actions: ['complete'],
        requiredFields: { complete: ['measures'] },
        citation: 'sip-2021:33',
        setting: { reason: 'sip-2021:33 says "立即" (immediately) and gives no number.', hours: 'security-incident.remediation.hours' },
        note: 'Emergency measures to limit the damage and stop it spreading, records kept (保存相关记录); sip-2021:35¶3 likewise for personal or important data.',
      },
      {
        key: 'report',
        countFrom: 'detected',
        onMissed: 'escalate',
        decidedBy: 'competent',
        consults: ['cyberspace'],
        actions: ['acknowledge'],
        citation: 'sip-2021:35',
        setting: { reason: 'sip-2021:35 requires the report "按照规定" and gives no period.', hours: 'security-incident.report.hours' },
        note: '¶3: reported to the competent department (有关主管部门) and the cyberspace department (网络安全主管部门).',
      },
      {
        key: 'notification',
        countFrom: 'detected',
        onMissed: 'escalate',
        decidedBy: 'provider',
        actions: ['notify'],
        requiredFields: { notify: ['notifiedCount', 'channel'] },
        citation: 'sip-2021:35',
        setting: { reason: 'sip-2021:35 says "及时告知该自然人" (promptly) and gives no number.', hours: 'security-incident.notification.hours' },
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
      citation: 'sip-2021:34',
      setting: {
        reason: 'sip-2021:34 requires the authorisation to be filed (报公共数据主管部门备案) but sets no period for recording it.',
        workingDays: 'third-party-authorisation.filing.workingDays',
      },
      note:
        'An agency may authorise a third-party professional body to collect and process data, by legality, necessity ' +
        'and minimisation (least scope: only its own data); the authorisation changes neither ownership nor the ' +
        "agency's responsibility, and is filed with the competent department.",
    }),
  },
};
