// P3 open-data applications: the create, the case actions of the applicant, provider and
// departments, and the data-use agreement as JSON, printable HTML and exact text.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { OPEN_DATA_APPLICATION } from '../../domain/open-data-application';
import { DELIVERY_TYPES } from '../../domain/open-data-terms';
import { agreementHtml, getAgreement } from '../services/open-data-agreements';
import { createOpenDataApplication } from '../services/open-data-applications';
import { CaseParams, Commitment, errorResponses, FilledText, Id, IsoDate, LiteralUnion } from '../schemas';
import { caseActionRoutes, createRoute, type CaseActionRoute } from '../process-routes';
import { tagged } from '../tags';
import { rule } from '../validation';
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
  deliveryType: LiteralUnion(DELIVERY_TYPES, { description: '申请类型: dataset (download), api, or sandbox (js-2020:26)' }),
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

const actions: CaseActionRoute[] = [
  {
    action: 'supplement',
    summary:
      'Supplement a not-accepted open-data application and resubmit it in the same case (补正, sz-open-2023:20): acceptance starts again',
    body: Type.Object(
      { ...Object.fromEntries(Object.entries(ApplicationFields).map(([k, v]) => [k, Type.Optional(v)])), note: Type.Optional(Type.String({ maxLength: 4000 })) },
      { additionalProperties: false },
    ),
  },
  {
    action: 'sign-agreement',
    summary:
      'Sign the data-use agreement (sz-open-2023:21), once each: the applicant and the provider agency. Access opens when both have signed',
    body: Type.Object(
      { sha256: Type.Optional(Type.String({ pattern: '^[0-9a-f]{64}$', description: 'digest of the text read (GET …/agreement); must be the stored one' })) },
      { additionalProperties: false },
    ),
    bodyOptional: true,
  },
  {
    action: 'request-results',
    summary:
      'Ask the data user for result materials (operations agency, sz-open-2023:24, js-2020:34)',
    body: Type.Object({ materials: FilledText(4000, 'missing_fields', 'what materials are requested') }, { additionalProperties: false }),
  },
  {
    action: 'submit-results',
    summary:
      'Submit result materials (the data user): answers the request named, else the oldest open one',
    body: Type.Object(
      {
        description: FilledText(4000, 'missing_fields'),
        materials: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 2000 }), { maxItems: 100 })),
        requestId: Type.Optional(Type.Integer({ minimum: 1 })),
      },
      { additionalProperties: false },
    ),
  },
  {
    action: 'report-breach',
    summary:
      'Report a breach of law or of the agreement and restrict (grant suspended) or close (revoked) access, optionally published (sz-open-2023:34)',
    body: Type.Object(
      {
        measure: Type.Union([Type.Literal('restrict'), Type.Literal('close')]),
        description: FilledText(4000, 'missing_fields'),
        basis: FilledText(2000, 'missing_fields', 'the provision or agreement clause breached'),
        publish: Type.Optional(Type.Boolean({ description: 'publish on the open data platform (在数据开放平台公示)' })),
        notice: Type.Optional(Type.String({ maxLength: 4000 })),
      },
      { additionalProperties: false },
    ),
  },
  {
    action: 'lift-restriction',
    summary:
      'Lift a restriction of access (the grant is active again until the end of the usage period)',
    body: Type.Object({ reason: FilledText(4000, 'missing_fields') }, { additionalProperties: false }),
  },
];

const openDataApplicationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(AgreementDoc);

  createRoute(app, {
    process: OPEN_DATA_APPLICATION,
    path: '/open-data-applications',
    preHandler: app.requireRole('data_user'),
    lateValidation: true,
    summary: 'Apply for conditional open data (P3: sz-open-2023:20–22, js-2020:26–27)',
    description:
      'A data user (no agency) applies for a dataset classed conditional-open. Unconditional data needs no application ' +
      '(422 no_application_needed, sz-open-2023:19); non-open data is refused (422 not_open, with its legal basis).',
    body: ApplicationBody,
    create: createOpenDataApplication,
  });

  caseActionRoutes(app, OPEN_DATA_APPLICATION, actions);

  app.get(
    '/cases/:caseId/agreement',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'The data-use agreement of an open-data application: the exact text, its sha256 (re-checked) and the signatures',
        tags: tagged(OPEN_DATA_APPLICATION),
        params: CaseParams,
        response: { 200: Type.Ref('DataUseAgreement'), ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => getAgreement(app.deps.db, req.params.caseId, req.principal),
  );

  app.get(
    '/cases/:caseId/agreement/document',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'The data-use agreement as a page to read or print (text/html): the signed text verbatim, signatures and digest',
        tags: tagged(OPEN_DATA_APPLICATION),
        params: CaseParams,
        response: { 200: { description: 'printable agreement', content: { 'text/html': { schema: Type.String() } } }, ...errorResponses(400, 401, 404) },
      },
    },
    async (req, reply) => {
      const doc = await getAgreement(app.deps.db, req.params.caseId, req.principal);
      return reply.type('text/html; charset=utf-8').send(agreementHtml(doc));
    },
  );

  app.get(
    '/cases/:caseId/agreement/text',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'The data-use agreement text exactly as signed (text/plain, UTF-8): its sha256 is the one signed',
        tags: tagged(OPEN_DATA_APPLICATION),
        params: CaseParams,
        response: { 200: { description: 'the signed text', content: { 'text/plain': { schema: Type.String() } } }, ...errorResponses(400, 401, 404) },
      },
    },
    async (req, reply) => {
      const doc = await getAgreement(app.deps.db, req.params.caseId, req.principal);
      return reply.type('text/plain; charset=utf-8').header('x-content-sha256', doc.sha256).send(doc.text);
    },
  );
};

export default openDataApplicationRoutes;
