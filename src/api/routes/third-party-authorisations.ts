// P10 third-party authorisations (sip-2021:34, jy-2023:33, cm-draft:31): the create route and the
// provider's and competent department's actions on the case.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CREDIT_CODE_PATTERN, MAX_DATASETS, THIRD_PARTY_AUTHORISATION } from '../../domain/third-party-authorisation';
import { createThirdPartyAuthorisation } from '../services/third-party-authorisations';
import { FilledText, Id, IsoDate } from '../schemas';
import { actionFields, caseActionRoutes, createRoute } from '../process-routes';
import { rule } from '../validation';

const Day = (code: string, description: string) =>
  Type.String({ ...IsoDate, description, allOf: [rule({ code, message: 'must be a real day YYYY-MM-DD (Asia/Shanghai)' }, { format: 'date' })] });

// The terms, each optional: the create body requires them, a resubmission changes some.
const TERMS = {
  thirdParty: Type.Object(
    {
      name: FilledText(200, 'missing_field', '被授权第三方机构名称'),
      creditCode: Type.String({
        maxLength: 100,
        description: '统一社会信用代码 (GB 32100-2015): 18 characters, the last its check character',
        allOf: [rule({ code: 'invalid_credit_code', message: 'must be a unified social credit code: 18 characters of 0-9 and A-Y without I, O, S, V, Z' }, { pattern: CREDIT_CODE_PATTERN })],
      }),
    },
    { additionalProperties: false, description: 'the authorised third-party professional body' },
  ),
  purpose: FilledText(2000, 'missing_field', '授权目的 (collection, processing)'),
  datasetIds: Type.Array(Id, {
    minItems: 1,
    maxItems: MAX_DATASETS,
    description: 'the datasets authorised, each once: every one in the catalog and the provider’s own (least scope, sip-2021:34)',
    allOf: [rule({ code: 'duplicate_dataset', message: 'names a dataset twice' }, { uniqueItems: true })],
  }),
  scope: FilledText(2000, 'missing_field', '授权范围: what the third party may do with the data'),
  from: Day('invalid_period', 'first day of the authorisation (Asia/Shanghai), inclusive; may lie in the past (a filing reports an authorisation made)'),
  until: Day('invalid_period', 'last day of the authorisation (Asia/Shanghai), inclusive, not before `from` nor today; the case expires at 24:00 Shanghai of that day'),
  securityReview: Type.Object(
    {
      conclusion: FilledText(4000, 'missing_field', '安全审查结论'),
      reviewedAt: Day('invalid_reviewed_at', 'the day the review concluded (Asia/Shanghai), not after today'),
    },
    { additionalProperties: false, description: '安全审查 of the third party: required where cm-draft:31 governs (Chongming)' },
  ),
  confidentialityAgreementSha256: Type.String({
    maxLength: 200,
    description: 'sha256 (64 lower-case hex digits) of the signed 公共数据安全保密协议: required where cm-draft:31 governs (Chongming)',
    allOf: [rule({ code: 'invalid_digest', message: 'must be a sha256: 64 lower-case hex digits' }, { pattern: '^[0-9a-f]{64}$' })],
  }),
};

const AuthorisationBody = Type.Object(
  {
    thirdParty: TERMS.thirdParty,
    purpose: TERMS.purpose,
    datasetIds: TERMS.datasetIds,
    scope: TERMS.scope,
    from: TERMS.from,
    until: TERMS.until,
    securityReview: Type.Optional(TERMS.securityReview),
    confidentialityAgreementSha256: Type.Optional(TERMS.confidentialityAgreementSha256),
  },
  { additionalProperties: false },
);

const thirdPartyAuthorisationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  createRoute(app, {
    process: THIRD_PARTY_AUTHORISATION,
    path: '/third-party-authorisations',
    preHandler: app.requireRole('provider'),
    summary: 'File an authorisation of a third party to collect and process the provider’s data (P10: sip-2021:34, jy-2023:33, cm-draft:31)',
    description:
      'A provider agency, for datasets of its own only (least scope: 422 unknown_dataset / not_provider_dataset naming the field). ' +
      'Where cm-draft:31 governs (Chongming), the filing carries the security review and the sha256 of the confidentiality agreement ' +
      '(422 security_review_required / confidentiality_agreement_required without). `from` and `until` are Asia/Shanghai days, both ' +
      'inclusive. The competent department of the provider’s jurisdiction files (`file` → status `filed`) or returns it ' +
      '(`return` with `issues` → `returned`; the provider may resubmit with POST /v1/cases/:caseId/resubmit) within a policy setting ' +
      '(default 5 working days; missed → escalates). A filed authorisation expires at 24:00 Shanghai of `until` (`expired`); ' +
      'POST /v1/cases/:caseId/revoke ends it before (`revoked`).',
    body: AuthorisationBody,
    create: createThirdPartyAuthorisation,
  });

  caseActionRoutes(app, THIRD_PARTY_AUTHORISATION, [
    {
      action: 'revoke',
      summary:
        'Third-party authorisation: revoke it (→ revoked) — the provider while it has not ended, or the competent department of its jurisdiction once filed, giving a reason',
      body: actionFields('revoke', { reason: Type.String({ maxLength: 4000, description: 'why; required of the competent department' }) }),
      bodyOptional: true,
    },
    {
      action: 'resubmit',
      summary:
        'Third-party authorisation (the provider): resubmit a returned filing, changing the terms the issues named; datasets may only be left out (least scope) — a new filing task opens',
      body: actionFields('resubmit', { ...TERMS, note: Type.String({ maxLength: 4000 }) }),
      bodyOptional: true,
    },
  ]);
};

export default thirdPartyAuthorisationRoutes;
