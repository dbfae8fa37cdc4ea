// 崇明区公共数据管理办法（试行）（草案） — seed 004. District level under Shanghai; the set holds no
// Shanghai text, so whatever Chongming leaves open is unresolved, never borrowed from Jiangsu.
import type { Policy } from '../types';
import { defineRules } from './define';

export const CM_DRAFT: Policy = {
  id: 'cm-draft',
  title: '崇明区公共数据管理办法（试行）（草案）',
  jurisdiction: 'shanghai-chongming',
  status: 'draft',
  // cm-draft:35 — "自印发之日起施行，有效期两年": the issue date is blank in the draft. Default: open
  // on both ends (adopted as a draft, like js-2020); once issued, an admin sets effectiveFrom to
  // the issue date and effectiveTo to termEnd(issueDate, 2).
  effectiveFrom: null,
  effectiveTo: null,
  effectiveCitation: 'cm-draft:35',
  effectiveNote:
    'Valid two years from issue, but the draft has no issue date: open-ended until an admin records it ' +
    '(effectiveTo = termEnd(effectiveFrom, 2)).',
  termYears: 2,
  scope: 'all',
  adopted: true,
  version: 1,
  processes: {
    'share-request': defineRules(
      {
        key: 'request',
        requiredFields: { submit: ['fields', 'scenario', 'commitment'] },
        citation: 'cm-draft:18',
        note:
          'Least and sufficient fields (最少、够用), a stated scenario, a commitment to truthfulness, security ' +
          'and compliance; shared data is used only for that purpose and never passed to third parties.',
      },
      {
        key: 'disposal',
        decidedBy: 'requester',
        actions: ['dispose'],
        citation: 'cm-draft:19',
        note:
          'When the purpose is achieved, cannot be achieved or is no longer necessary, the requester disposes ' +
          'of the data as the provider requires. No period in the text.',
      },
    ),
    'catalog-entry': defineRules({
      // cm-draft:7, 9 — the responsible agency catalogues its data in full and records the catalog
      // on the chain (编目上链); the text names no review.
      key: 'publication',
      citation: 'cm-draft:9',
    }),
    'catalog-update': defineRules({
      // cm-draft:8 — after a change of law or of duties, update within 15 working days.
      key: 'update',
      workingDays: 15,
      countFrom: 'duty_issued',
      onMissed: 'escalate',
      decidedBy: 'provider',
      citation: 'cm-draft:8',
    }),
    'security-incident': defineRules(
      {
        key: 'emergency_plan',
        citation: 'cm-draft:30',
        note: 'On an incident the agency starts its emergency plan at once (立即启动应急预案), keeps records and reports.',
      },
      {
        key: 'remediation',
        countFrom: 'detected',
        onMissed: 'escalate',
        decidedBy: 'provider',
        actions: ['complete'],
        requiredFields: { complete: ['measures'] },
        citation: 'cm-draft:30',
        setting: { reason: 'cm-draft:30 says "立即" (immediately) and gives no number.', hours: 'security-incident.remediation.hours' },
        note: 'Emergency measures, records kept; a risk found in monitoring (cm-draft:29) is remedied at once as well.',
      },
      {
        key: 'report',
        countFrom: 'detected',
        onMissed: 'escalate',
        decidedBy: 'competent',
        consults: ['cyberspace'],
        actions: ['acknowledge'],
        citation: 'cm-draft:30',
        setting: { reason: 'cm-draft:30 requires the report "按照规定" and gives no period.', hours: 'security-incident.report.hours' },
        note: 'Reported "to the departments concerned" (有关部门): here the competent and cyberspace departments.',
      },
    ),
    'third-party-authorisation': defineRules(
      {
        // cm-draft:31 — before commissioning: a security review and a signed confidentiality agreement.
        key: 'security_review',
        requiredFields: { submit: ['securityReview', 'confidentialityAgreementSha256'] },
        citation: 'cm-draft:31',
        note:
          'An agency that commissions a third party (委托第三方服务机构) reviews its security (安全审查), signs a data ' +
          'security and confidentiality agreement (安全保密协议) and supervises it; the party may not retain, use, leak ' +
          'or pass on the data. The filing carries the review and the digest of the agreement.',
      },
      {
        key: 'filing',
        countFrom: 'filing_received',
        onMissed: 'escalate',
        decidedBy: 'competent',
        actions: ['file', 'return'],
        requiredFields: { return: ['issues'] },
        citation: 'cm-draft:31',
        setting: {
          reason: 'cm-draft:31 sets no filing at all, hence no period for one.',
          workingDays: 'third-party-authorisation.filing.workingDays',
        },
        note:
          'cm-draft:31 has no 备案: the commission is filed with the competent department as PROCESSES.md P10 has it, ' +
          'the department that supervises data security (cm-draft:27). Least scope: the party keeps to the data ' +
          'commissioned (cm-draft:31, 不得擅自…向他人提供).',
      },
    ),
  },
};
