// P7 catalog entries (sip-2021:8, js-2020:10, 19, cm-draft:6–9): the create route and the
// compiler's resubmission after a return.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DATA_CLASSES } from '../../domain/catalog';
import { CATALOG_ENTRY, CATALOG_ENTRY_REASONS } from '../../domain/catalog-entry';
import { createCatalogEntry } from '../services/catalog-entries';
import { FilledText, Id, LiteralUnion } from '../schemas';
import { actionFields, caseActionRoutes, createRoute } from '../process-routes';
import { rule } from '../validation';

const Text = (max: number, description?: string) => FilledText(max, 'missing_field', description);
const DataClass = LiteralUnion(DATA_CLASSES);
const DataItem = Type.Object(
  {
    code: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$', description: 'the standard code of the data item (一数一源)' }),
    name: Text(200),
    authoritative: Type.Optional(Type.Boolean({ description: 'this agency is the source of the item: another agency listing the code must name one source' })),
  },
  { additionalProperties: false },
);

/** The elements of an entry (sip-2021:8, cm-draft:6), each also a field of a resubmission. */
const EntryFields = {
  name: Text(300),
  content: Text(4000, '内容: what the data holds'),
  source: Text(1000, '数据来源: where it is collected'),
  shareClass: DataClass,
  openClass: DataClass,
  legalBasis: Type.Optional(Type.String({ maxLength: 2000, description: 'needed for any class other than unconditional (js-2020:19)' })),
  updateCycle: Text(100, '更新周期'),
  format: Text(100, '格式'),
  dataItems: Type.Array(DataItem, { minItems: 1, maxItems: 500, description: '数据项, each with its standard code' }),
};

const LEGAL_BASIS_RULE = rule(
  { code: 'legal_basis_required', field: 'legalBasis', message: 'required with a class other than unconditional: the law, regulation or rule that restricts the data', citation: 'js-2020:19' },
  {
    anyOf: [
      { properties: { shareClass: { const: 'unconditional' }, openClass: { const: 'unconditional' } } },
      { required: ['legalBasis'], properties: { legalBasis: { type: 'string', pattern: '\\S' } } },
    ],
  },
);

const CatalogEntryBodySchema = Type.Object(
  {
    datasetId: Type.Optional(Id),
    providerAgencyId: Id,
    ...EntryFields,
    reason: LiteralUnion(CATALOG_ENTRY_REASONS, { description: 'new, law_change, duty_change (cm-draft:8) or correction' }),
    dutyCaseId: Type.Optional(Type.String({ maxLength: 200, description: 'the catalog-update case this entry discharges (cm-draft:8)' })),
  },
  { additionalProperties: false, allOf: [LEGAL_BASIS_RULE] },
);

const catalogEntryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  createRoute(app, {
    process: CATALOG_ENTRY,
    path: '/catalog-entries',
    preHandler: app.requireRole('provider'),
    summary: 'Compile a catalog entry: a new dataset, or a new version of one of the agency’s own (P7: sip-2021:8, js-2020:10, 19)',
    description:
      'A provider of providerAgencyId. The competent department reviews (approve / return with issues / refuse with legal basis); ' +
      'a data item whose code another agency’s published dataset holds as authoritative shows as a conflict on the review task, ' +
      'and approval names its one source (sourceOf, 一数一源). Where sip-2021:8 or jy-2023:8 applies the government approves next. ' +
      'Published: a new version on the dataset’s hash chain (GET /v1/datasets/:id/versions, cm-draft:9); where no text requires a ' +
      'review (cm-draft) it is published at once.',
    body: CatalogEntryBodySchema,
    create: createCatalogEntry,
  });

  caseActionRoutes(app, CATALOG_ENTRY, [
    {
      action: 'resubmit',
      summary: 'Resubmit a returned catalog entry with its corrections (the compiling provider): the review starts again',
      body: actionFields('resubmit', { ...EntryFields, note: Type.String({ maxLength: 4000 }) }),
    },
  ]);
};

export default catalogEntryRoutes;
