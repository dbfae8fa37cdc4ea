// The signed data-use agreement of an open-data application (sz-open-2023:21), as JSON and as a
// document a person reads or prints. The text is served exactly as stored, with a fresh check of
// its sha256, so anyone can see it is the text that was signed.
import { createHash } from 'node:crypto';
import type { Db } from '../../db/client';
import { agreementOfCase } from '../../db/processes/open-data-application';
import { findCase } from '../../db/repositories/cases';
import type { AgreementRef } from '../../domain/open-data-actions';
import { notFound } from '../errors';
import type { Principal } from '../plugins/auth';
import { canSee } from './cases';

export async function getAgreement(db: Db, caseId: string, p: Principal) {
  const row = await findCase(db, caseId);
  // Parties, the departments of the case's jurisdiction (and above) and admins; others learn nothing.
  if (!row || !canSee(p, row)) throw notFound(`case "${caseId}"`);
  const a = await agreementOfCase(db, caseId);
  if (!a) throw notFound(`data-use agreement of case "${caseId}" (there is one once the application is approved)`);
  const ref = (row.view as { agreement?: AgreementRef | null }).agreement;
  return {
    agreementId: a.id,
    caseId: a.caseId,
    status: ref?.status ?? 'pending_signatures',
    templateVersion: a.templateVersion,
    citation: a.citation,
    datasetId: a.datasetId,
    parties: { providerAgencyId: a.providerAgencyId, applicantPrincipalId: a.applicantPrincipalId },
    clauses: a.clauses,
    sha256: a.sha256,
    verified: createHash('sha256').update(a.text, 'utf8').digest('hex') === a.sha256,
    signatures: ref?.signatures ?? [],
    createdAt: a.createdAt.toISOString(),
    text: a.text,
  };
}

export type AgreementDocument = Awaited<ReturnType<typeof getAgreement>>;

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A printable page: the signed text verbatim, then who signed it when, and its digest. */
export function agreementHtml(d: AgreementDocument): string {
  const party = (p: string) => (p === 'provider' ? '甲方（数据开放主体）' : '乙方（数据利用主体）');
  const signatures = d.signatures.length
    ? d.signatures.map((s) => `<li>${party(s.party)}：${escape(s.principalId)}，${escape(s.at)}（SHA-256 ${escape(s.sha256)}）</li>`).join('')
    : '<li>尚未签署 (not signed yet)</li>';
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>公共数据利用协议 ${escape(d.agreementId)}</title>
<style>
body { font-family: "Songti SC", "SimSun", serif; max-width: 46em; margin: 2em auto; line-height: 1.7; color: #111; }
pre { white-space: pre-wrap; font-family: inherit; font-size: 1em; }
footer { border-top: 1px solid #999; margin-top: 2em; padding-top: 1em; font-size: .9em; }
@media print { body { margin: 0; } }
</style>
</head>
<body>
<pre>${escape(d.text)}</pre>
<footer>
<p>签署记录 (signatures):</p>
<ul>${signatures}</ul>
<p>状态 (status): ${escape(d.status)} · 文本 SHA-256: <code>${escape(d.sha256)}</code> · ${d.verified ? '文本与摘要一致 (text matches its digest)' : '文本与摘要不一致 (TEXT DOES NOT MATCH ITS DIGEST)'}</p>
</footer>
</body>
</html>
`;
}
