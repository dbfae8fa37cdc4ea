// Who acts (PROCESSES.md "Roles"). Agency roles act for one agency; department roles act for the
// jurisdiction of their agency; admin runs the platform.
export const ROLES = [
  'requester',
  'provider',
  'competent',
  'operations',
  'data_user',
  'rights_holder',
  'expert_committee',
  'government',
  // 网信部门: the cyberspace department, told of security incidents (js-2020:39, sip-2021:35).
  'cyberspace',
  // The data platform's own principal: asks GET /v1/grants/check at access time (API-2.md).
  'data_platform',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

/** Roles that act for an agency and so need `agencyId` (API.md, POST /v1/principals). */
export const AGENCY_ROLES: readonly Role[] = ['requester', 'provider', 'competent', 'operations', 'cyberspace'];

/** Department roles: their tasks go to the role in the case's jurisdiction (API.md, Inbox). */
export const DEPARTMENT_ROLES: readonly Role[] = ['competent', 'operations', 'expert_committee', 'government', 'cyberspace'];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
