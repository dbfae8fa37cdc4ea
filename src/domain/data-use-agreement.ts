// 公共数据利用协议 (sz-open-2023:21, js-2020:26): the template every conditional open-data grant is
// signed under. Pure and deterministic — the activity that stores it drafts the text from the
// approved terms (so the text never travels through the case's history), keeps it unchanged with
// its sha256, and the parties sign that exact text.
import type { DeliveryType, UsagePeriod } from './open-data-terms';

export const AGREEMENT_TEMPLATE_VERSION = 'open-data-agreement/1';

export interface AgreementClause {
  key: string;
  title: string;
  /** The articles the clause comes from (both texts where both speak). */
  citation: string;
}

/**
 * Every clause sz-open-2023:21 requires — purpose, scope, manner of use, follow-up service and
 * feedback, prohibited acts, credit commitment, liability for breach, dispute resolution — and the
 * security safeguards of js-2020:26¶2. A policy naming a clause missing here is refused at start.
 */
export const AGREEMENT_CLAUSES: readonly AgreementClause[] = Object.freeze([
  { key: 'purpose', title: '数据用途', citation: 'sz-open-2023:20, 21; js-2020:26, 27' },
  { key: 'scope', title: '使用范围', citation: 'sz-open-2023:20, 21; js-2020:27' },
  { key: 'manner_of_use', title: '使用方式', citation: 'sz-open-2023:21, 22; js-2020:26' },
  { key: 'follow_up_service_and_feedback', title: '后续服务和反馈要求', citation: 'sz-open-2023:21, 24, 31; js-2020:34, 35' },
  { key: 'prohibited_acts', title: '禁止条款', citation: 'sz-open-2023:20, 21, 25' },
  { key: 'credit_commitment', title: '信用承诺', citation: 'sz-open-2023:20, 21' },
  { key: 'security_safeguards', title: '安全保障', citation: 'js-2020:26; sz-open-2023:31' },
  { key: 'liability_for_breach', title: '违约责任', citation: 'sz-open-2023:21, 34; js-2020:50' },
  { key: 'dispute_resolution', title: '争议解决', citation: 'sz-open-2023:21' },
]);

/** Clauses a policy requires (rule `agreement.clauses`) that the template does not hold. */
export function missingClauses(required: readonly string[]): string[] {
  return required.filter((k) => !AGREEMENT_CLAUSES.some((c) => c.key === k));
}

export interface AgreementTerms {
  agreementId: string;
  caseId: string;
  /** The rule the agreement is signed under, e.g. sz-open-2023:21 or js-2020:26. */
  citation: string;
  provider: { agencyId: string; name: string };
  applicant: { principalId: string; name: string };
  dataset: { id: string; name: string };
  title: string;
  /** As approved by the provider (sz-open-2023:20: approval states purpose and scope). */
  purpose: string;
  scope: string;
  scenario: string;
  deliveryType: DeliveryType;
  usagePeriod: UsagePeriod;
  resultForm: string;
  /** Shanghai day of the approval. */
  approvedDate: string;
}

const DELIVERY_TEXT: Record<DeliveryType, string> = {
  dataset: '数据下载',
  api: '数据服务接口访问',
  sandbox: '数据沙箱（原始数据不出域，仅可获取分析结果）',
};

function clauseBody(key: string, t: AgreementTerms): string {
  switch (key) {
    case 'purpose':
      return `乙方仅可将本协议项下数据用于：${t.purpose}。申请所述应用场景：${t.scenario}。不得用于其他任何目的。`;
    case 'scope':
      return (
        `本协议项下数据限于：${t.scope}（数据集「${t.dataset.name}」，编号 ${t.dataset.id}）。` +
        `使用期限自 ${t.usagePeriod.start} 起至 ${t.usagePeriod.end} 止（北京时间，含首尾两日）；期限届满，数据获取权限自动终止。`
      );
    case 'manner_of_use':
      return `甲方通过公共数据开放平台以${DELIVERY_TEXT[t.deliveryType]}方式提供数据。乙方的成果形式为：${t.resultForm}。`;
    case 'follow_up_service_and_feedback':
      return (
        '甲方对数据使用情况进行跟踪服务和安全管理。乙方应当按照公共数据运行管理机构的要求提供数据应用成果相关资料；' +
        '在发表论文、申请专利、出版作品、申请软件著作权和开发应用产品时注明所引用公共数据的来源；' +
        '并及时向甲方报告数据利用过程中发现的数据安全问题。'
      );
    case 'prohibited_acts':
      return (
        '乙方不得以任何形式将所获数据提供给第三方，不得用于本协议约定用途以外的任何目的，' +
        '不得试图重新识别个人身份或者推断商业秘密，不得滥用相关权益损害国家利益、社会公共利益或者他人合法权益。'
      );
    case 'credit_commitment':
      return '乙方承诺申请材料和应用场景真实、合规、安全，并严格遵守本协议；违反承诺的，自愿承担相应的失信后果。';
    case 'security_safeguards':
      return '乙方应当按照法律、法规、规章和本协议履行数据安全保护义务，采取必要的管理和技术措施，防止数据泄露、篡改、丢失或者被非法使用。';
    case 'liability_for_breach':
      return (
        '乙方违反法律、法规、规章或者本协议约定的，公共数据主管部门、甲方可以按照各自职责采取限制或者关闭其数据获取权限等措施，' +
        '并可以在数据开放平台公示；给他人造成损害或者构成违法的，依法承担相应责任。'
      );
    case 'dispute_resolution':
      return '因本协议发生的争议，双方应当协商解决；协商不成的，可以提请公共数据主管部门协调，或者依法通过行政复议、诉讼等途径解决。';
    default:
      throw new RangeError(`no template text for clause ${key}`);
  }
}

const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'];

/** The agreement text, filled with the approved terms. Same terms, same text, byte for byte. */
export function draftAgreement(t: AgreementTerms): { text: string; clauses: AgreementClause[] } {
  const clauses = [...AGREEMENT_CLAUSES];
  const lines = [
    '公共数据利用协议',
    '',
    `协议编号：${t.agreementId}`,
    `模板版本：${AGREEMENT_TEMPLATE_VERSION}`,
    `订立依据：${t.citation}`,
    `申请案件：${t.caseId}（${t.title}）`,
    `甲方（数据开放主体）：${t.provider.name}（${t.provider.agencyId}）`,
    `乙方（数据利用主体）：${t.applicant.name}（${t.applicant.principalId}）`,
    `甲方同意开放日期：${t.approvedDate}`,
    '',
  ];
  clauses.forEach((c, i) => {
    lines.push(`第${NUMERALS[i]}条　${c.title}（${c.citation}）`, clauseBody(c.key, t), '');
  });
  lines.push(
    `第${NUMERALS[clauses.length]}条　生效与文本`,
    '本协议自甲乙双方均签署之日起生效。签署记录（签署人、时间及本文本的 SHA-256 摘要）由平台保存；本文本签署后不作任何修改。',
    '',
  );
  return { text: lines.join('\n'), clauses };
}
