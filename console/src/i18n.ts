// Chinese first, English on request: the console's words and the names of case types. The chosen
// language is kept in local storage (it is not a secret); the App renders again when it changes.

export type Lang = 'zh' | 'en';

const WORDS = {
  title: ['公共数据治理 · 办理台', 'Public-data governance · Console'],
  signIn: ['登录', 'Sign in'],
  signOut: ['退出', 'Sign out'],
  token: ['访问令牌', 'Access token'],
  tokenHelp: ['由管理员签发的令牌，仅保存在本标签页的会话中。', 'Issued by your administrator; kept only in this tab\'s session.'],
  language: ['English', '中文'],
  languageLabel: ['切换为英文', 'Switch to Chinese'],
  inbox: ['待办', 'Inbox'],
  supervision: ['监督考核', 'Supervision'],
  signedInAs: ['当前用户', 'Signed in as'],
  filters: ['筛选', 'Filters'],
  caseType: ['案件类型', 'Case type'],
  all: ['全部', 'All'],
  overdueOnly: ['仅显示已逾期', 'Overdue only'],
  claimFilter: ['认领', 'Claim'],
  mine: ['我认领的', 'Claimed by me'],
  unclaimed: ['未认领', 'Unclaimed'],
  apply: ['查询', 'Apply'],
  dueState: ['时限状态', 'Due state'],
  dueDate: ['截止日期', 'Due date'],
  article: ['依据条款', 'Article'],
  task: ['事项', 'Task'],
  case: ['案件', 'Case'],
  claimedBy: ['认领人', 'Claimed by'],
  actions: ['操作', 'Actions'],
  claim: ['认领', 'Claim'],
  release: ['释放', 'Release'],
  handOver: ['转交', 'Hand over'],
  colleague: ['同事的用户编号', "Colleague's principal id"],
  confirm: ['确定', 'Confirm'],
  cancel: ['取消', 'Cancel'],
  more: ['加载更多', 'Load more'],
  empty: ['暂无待办事项。', 'No open tasks.'],
  loading: ['加载中…', 'Loading…'],
  overdue: ['已逾期', 'Overdue'],
  soon: ['即将到期', 'Due soon'],
  ok: ['正常', 'On time'],
  none: ['无期限', 'No deadline'],
  provisional: ['暂定', 'provisional'],
  provisionalHelp: ['按法定节假日推算，官方安排公布后重新计算', 'counted on statutory holidays; recomputed when the official arrangement is loaded'],
  status: ['状态', 'Status'],
  received: ['收件时间', 'Received'],
  parties: ['当事方', 'Parties'],
  outcome: ['结果', 'Outcome'],
  deadlines: ['办理时限', 'Deadlines'],
  period: ['期限', 'Period'],
  workingDays: ['个工作日', 'working days'],
  hours: ['小时', 'hours'],
  state: ['进度', 'State'],
  grants: ['授权', 'Grants'],
  noGrants: ['无授权。', 'No grants.'],
  timeline: ['办理过程', 'Timeline'],
  openTasks: ['待我办理', 'Open tasks for me'],
  noOpenTasks: ['本案暂无您可办理的事项。', 'No open task of yours on this case.'],
  decision: ['决定', 'Decision'],
  action: ['决定事项', 'Action'],
  submit: ['提交', 'Submit'],
  submitted: ['已提交。', 'Submitted.'],
  required: ['必填', 'required'],
  onePerLine: ['每行一项', 'one per line'],
  caseActions: ['案件操作', 'Case actions'],
  caseActionsHelp: ['是否可以办理由案件判断；不可办理时会说明原因。', 'The case judges whether you may; it says why not.'],
  agreement: ['数据利用协议', 'Data-use agreement'],
  print: ['打印', 'Print'],
  back: ['返回待办', 'Back to the inbox'],
  timeliness: ['办理时效统计', 'Timeliness report'],
  jurisdiction: ['辖区', 'Jurisdiction'],
  from: ['起始日期', 'From'],
  to: ['截止日期', 'To'],
  receivedCount: ['收件数', 'Received'],
  onTimeRate: ['按期办结率（%）', 'Decided on time (%)'],
  agency: ['单位', 'Agency'],
  decided: ['已办结', 'Decided'],
  onTime: ['按期', 'On time'],
  late: ['逾期办结', 'Late'],
  deemed: ['视为同意', 'Deemed'],
  overdueOpen: ['逾期未办', 'Overdue open'],
  median: ['中位工作日', 'Median working days'],
  noRows: ['该期间无案件。', 'No cases in this period.'],
  notices: ['通报批评', 'Public notices'],
  noNotices: ['暂无通报。', 'No notices.'],
  reason: ['事由', 'Reason'],
  issuedAt: ['通报时间', 'Issued'],
  error: ['出错了', 'Error'],
  missing: ['此项必填', 'Required'],
} as const;

export type WordKey = keyof typeof WORDS;

const CASE_TYPES: Record<string, [string, string]> = {
  'share-request': ['共享申请', 'Share request'],
  'share-demand': ['共享需求', 'Share demand'],
  'open-data-application': ['开放数据申请', 'Open-data application'],
  objection: ['异议', 'Objection'],
  'quality-rectification': ['质量整改', 'Quality rectification'],
  'rights-claim': ['权益主张', 'Rights claim'],
  'catalog-entry': ['目录编制', 'Catalog entry'],
  'catalog-update': ['目录更新', 'Catalog update'],
  dispute: ['争议协调', 'Dispute'],
  'security-incident': ['安全事件', 'Security incident'],
  'third-party-authorisation': ['第三方授权备案', 'Third-party authorisation'],
  reassessment: ['定期评估', 'Periodic reassessment'],
};

// Decision and case actions by their API names; an action not named here is shown as it is.
const ACTIONS: Record<string, string> = {
  approve: '同意',
  refuse: '不予同意',
  reject: '驳回',
  accept: '受理',
  not_accept: '不予受理',
  complete: '办结',
  acknowledge: '确认收悉',
  close: '结案',
  correct: '更正',
  determine: '作出决定',
  no_change: '无需变更',
  notify: '告知',
  order_correction: '责令改正',
  report_correction: '报告整改',
  refer_to_experts: '提交专家委员会',
  request_expert_opinion: '征求专家意见',
  submit: '提交',
  uphold: '维持',
  reopen: '重新开放',
  reopen_processed: '恢复处理',
  keep: '保持',
  keep_open: '继续开放',
  reclassify: '重新分级',
  agree: '同意',
  deliver: '交付',
  confirm: '确认',
  dispute: '提出争议',
  retry: '重试',
  withdraw: '撤回',
  dispose: '销毁处置',
  supplement: '补正',
  'sign-agreement': '签署协议',
  'request-results': '要求提交成果',
  'submit-results': '提交成果',
  'report-breach': '报告违约',
  'lift-restriction': '解除限制',
  resubmit: '重新提交',
  revoke: '撤销',
  'request-extension': '申请延期',
};

let current: Lang = localStorage.getItem('pdg.console.lang') === 'en' ? 'en' : 'zh';

export const lang = (): Lang => current;
export function setLang(l: Lang): void {
  current = l;
  localStorage.setItem('pdg.console.lang', l);
  document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
}
document.documentElement.lang = current === 'zh' ? 'zh-CN' : 'en';

/** The word in the current language. */
export const t = (k: WordKey): string => WORDS[k][current === 'zh' ? 0 : 1];
/** A case type's name in the current language (its id when unknown). */
export const caseTypeName = (id: string): string => CASE_TYPES[id]?.[current === 'zh' ? 0 : 1] ?? id;
export const caseTypeIds = (): string[] => Object.keys(CASE_TYPES);
/** An action's name: Chinese with its API name, or the API name alone in English. */
export const actionName = (action: string): string => (current === 'zh' && ACTIONS[action] ? `${ACTIONS[action]}（${action}）` : action);
/** A form's bilingual description ("中文 — English") in the current language. */
export function described(text: string | undefined, fallback: string): string {
  if (!text) return fallback;
  const [zh, en] = text.split(' — ');
  return (current === 'zh' ? zh : en ?? zh) || fallback;
}
/** A date-time in Asia/Shanghai, as officials read it. */
export const when = (iso: string): string =>
  new Date(iso).toLocaleString(current === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: 'Asia/Shanghai', dateStyle: 'medium', timeStyle: 'short' });
