/**
 * A case cannot be planned: no policy in force defines a rule it needs. The API refuses such a
 * request (422 no_rule_in_force) before starting anything; a workflow that meets one fails the
 * case rather than wedging it. Each process's plan error extends this one.
 */
export class PlanError extends Error {
  override name = 'PlanError';
}
