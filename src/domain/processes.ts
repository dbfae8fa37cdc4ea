// The registry of processes: one line each. A process's descriptor (domain/<id>.ts) says what the
// platform needs to know of it; the worker's workflows and activities, the API's routes, the case
// types, the policy registry's rule keys and settings, and the OpenAPI groups are derived from
// this list (process.ts). Order does not matter: `code` orders them.
export { SHARE_REQUEST } from './share-request';
export { SHARE_DEMAND } from './share-demand';
export { OPEN_DATA_APPLICATION } from './open-data-application';
export { OBJECTION } from './objection';
export { QUALITY_RECTIFICATION } from './quality-rectification';
export { RIGHTS_CLAIM } from './rights-claim';
export { CATALOG_ENTRY } from './catalog-entry';
export { CATALOG_UPDATE } from './catalog-update';
export { SECURITY_INCIDENT } from './security-incident';
export { DISPUTE } from './dispute';
export { THIRD_PARTY_AUTHORISATION } from './third-party-authorisation';
export { REASSESSMENT } from './reassessment';
