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
