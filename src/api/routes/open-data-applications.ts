// P3 open-data applications: the create, the case actions of the applicant, provider and
// departments, and the data-use agreement as JSON, printable HTML and exact text.
import { createContext } from '../services/case-start';
import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from 'typebox';
import type { OpenDataApplicationBody } from '../../domain/open-data-application';
import { DELIVERY_TYPES } from '../../domain/open-data-terms';
import { caseAction } from '../services/case-actions';
import { agreementHtml, getAgreement } from '../services/open-data-agreements';
import { createOpenDataApplication } from '../services/open-data-applications';
import { Commitment, errorResponses, FilledText, Id, IsoDate } from '../schemas';
import { tagged } from '../tags';
import { refuseMalformed, rule } from '../validation';
import { IdempotencyHeaders } from './share-requests';

const CaseParams = Type.Object({ caseId: Type.String({ maxLength: 200 }) });
const Day = Type.String({
  ...IsoDate,
  allOf: [rule({ code: 'invalid_usage_period', message: 'must be a real day YYYY-MM-DD' }, { format: 'date' })],
});

// sz-open-2023:20: every defect of an application is named at once (一次性告知), by the same rule
// the workflow applies to a supplement; the schema says each, the service answers them together
// with those no schema can say (a period that ends before it starts, or starts in the past).
const ApplicationFields = {
  title: FilledText(200, 'missing_field', '申请标题'),
  reason: FilledText(4000, 'missing_field', '事由'),
  deliveryType: Type.Union(DELIVERY_TYPES.map((t) => Type.Literal(t)), { description: '申请类型: dataset (download), api, or sandbox (js-2020:26)' }),
  usagePeriod: Type.Object({ start: Day, end: Day }, { additionalProperties: false, description: '使用期限: first and last day of use, inclusive; not before the day of application' }),
  resultForm: FilledText(2000, 'missing_field', '成果形式'),
  scenario: FilledText(4000, 'missing_field', '应用场景'),
  commitment: Commitment('the scenario is true, compliant and secure (sz-open-2023:20); must be true'),
};

const ApplicationBody = Type.Object({ datasetId: Id, ...ApplicationFields }, { additionalProperties: false });

const AgreementDoc = Type.Object(
  {
    agreementId: Type.String(),
    caseId: Type.String(),
    status: Type.String(),
    templateVersion: Type.String(),
    citation: Type.String(),
    datasetId: Type.String(),
    parties: Type.Record(Type.String(), Type.String()),
    clauses: Type.Array(Type.Object({ key: Type.String(), title: Type.String(), citation: Type.String() })),
    sha256: Type.String(),
    verified: Type.Boolean(),
    signatures: Type.Array(Type.Object({ party: Type.String(), principalId: Type.String(), at: Type.String(), sha256: Type.String() })),
    createdAt: Type.String(),
    text: Type.String(),
  },
  { $id: 'DataUseAgreement' },
);

const actions: [string, string, TSchema][] = [
  [
    'supplement',
    'Supplement a not-accepted open-data application and resubmit it in the same case (补正, sz-open-2023:20): acceptance starts again',
    Type.Object(
      { ...Object.fromEntries(Object.entries(ApplicationFields).map(([k, v]) => [k, Type.Optional(v)])), note: Type.Optional(Type.String({ maxLength: 4000 })) },
      { additionalProperties: false },
    ),
  ],
  [
    'sign-agreement',
    'Sign the data-use agreement (sz-open-2023:21), once each: the applicant and the provider agency. Access opens when both have signed',
    Type.Object(
      { sha256: Type.Optional(Type.String({ pattern: '^[0-9a-f]{64}$', description: 'digest of the text read (GET …/agreement); must be the stored one' })) },
      { additionalProperties: false },
    ),
  ],
  [
    'request-results',
    'Ask the data user for result materials (operations agency, sz-open-2023:24, js-2020:34)',
    Type.Object({ materials: FilledText(4000, 'missing_fields', 'what materials are requested') }, { additionalProperties: false }),
  ],
  [
    'submit-results',
    'Submit result materials (the data user): answers the request named, else the oldest open one',
    Type.Object(
      {
        description: FilledText(4000, 'missing_fields'),
        materials: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 2000 }), { maxItems: 100 })),
        requestId: Type.Optional(Type.Integer({ minimum: 1 })),
      },
      { additionalProperties: false },
    ),
  ],
  [
    'report-breach',
    'Report a breach of law or of the agreement and restrict (grant suspended) or close (revoked) access, optionally published (sz-open-2023:34)',
    Type.Object(
      {
        measure: Type.Union([Type.Literal('restrict'), Type.Literal('close')]),
        description: FilledText(4000, 'missing_fields'),
        basis: FilledText(2000, 'missing_fields', 'the provision or agreement clause breached'),
        publish: Type.Optional(Type.Boolean({ description: 'publish on the open data platform (在数据开放平台公示)' })),
        notice: Type.Optional(Type.String({ maxLength: 4000 })),
      },
      { additionalProperties: false },
    ),
  ],
  [
    'lift-restriction',
    'Lift a restriction of access (the grant is active again until the end of the usage period)',
    Type.Object({ reason: FilledText(4000, 'missing_fields') }, { additionalProperties: false }),
  ],
];

export default async function openDataApplicationRoutes(app: FastifyInstance) {
  app.addSchema(AgreementDoc);

  app.post(
    '/open-data-applications',
    {
      attachValidation: true,
      preHandler: [refuseMalformed, app.requireRole('data_user')],
      schema: {
        summary: 'Apply for conditional open data (P3: sz-open-2023:20–22, js-2020:26–27)',
        tags: tagged('openData'),
        description:
          'A data user (no agency) applies for a dataset classed conditional-open. Unconditional data needs no application ' +
          '(422 no_application_needed, sz-open-2023:19); non-open data is refused (422 not_open, with its legal basis). ' +
          'Accepts an Idempotency-Key header: the same key and body return the same case.',
        headers: IdempotencyHeaders,
        body: ApplicationBody,
        response: { 200: Type.Ref('Case'), 201: Type.Ref('Case'), ...errorResponses(400, 401, 403, 422, 503) },
      },
    },
    async (req, reply) => {
      const result = await createOpenDataApplication(
        createContext(app.deps, req),
        req.body as OpenDataApplicationBody,
      );
      return reply.status(result.status).send(result.body);
    },
  );

  for (const [action, summary, body] of actions) {
    app.post(
      `/cases/:caseId/${action}`,
      {
        // The case's workflow judges the fields after who asks and the state of the case.
        attachValidation: true,
        preHandler: [refuseMalformed, app.authenticate],
        schema: {
          summary,
          tags: tagged('openData'),
          params: CaseParams,
          body: action === 'sign-agreement' ? Type.Optional(body) : body,
          response: { 200: Type.Ref('Case'), ...errorResponses(400, 401, 403, 404, 409, 422) },
        },
      },
      async (req) =>
        caseAction(app.deps.db, app.deps.temporal, (req.params as { caseId: string }).caseId, action, req.principal, (req.body as Record<string, unknown>) ?? {}),
    );
  }

  app.get(
    '/cases/:caseId/agreement',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'The data-use agreement of an open-data application: the exact text, its sha256 (re-checked) and the signatures',
        tags: tagged('openData'),
        params: CaseParams,
        response: { 200: Type.Ref('DataUseAgreement'), ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => getAgreement(app.deps.db, (req.params as { caseId: string }).caseId, req.principal),
  );

  app.get(
    '/cases/:caseId/agreement/document',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'The data-use agreement as a page to read or print (text/html): the signed text verbatim, signatures and digest',
        tags: tagged('openData'),
        params: CaseParams,
        response: { 200: { description: 'printable agreement', content: { 'text/html': { schema: Type.String() } } }, ...errorResponses(400, 401, 404) },
      },
    },
    async (req, reply) => {
      const doc = await getAgreement(app.deps.db, (req.params as { caseId: string }).caseId, req.principal);
      return reply.type('text/html; charset=utf-8').send(agreementHtml(doc));
    },
  );

  app.get(
    '/cases/:caseId/agreement/text',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'The data-use agreement text exactly as signed (text/plain, UTF-8): its sha256 is the one signed',
        tags: tagged('openData'),
        params: CaseParams,
        response: { 200: { description: 'the signed text', content: { 'text/plain': { schema: Type.String() } } }, ...errorResponses(400, 401, 404) },
      },
    },
    async (req, reply) => {
      const doc = await getAgreement(app.deps.db, (req.params as { caseId: string }).caseId, req.principal);
      return reply.type('text/plain; charset=utf-8').header('x-content-sha256', doc.sha256).send(doc.text);
    },
  );
}
