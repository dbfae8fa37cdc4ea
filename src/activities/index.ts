// Every side effect of the workflows, built from explicit dependencies so tests can pass fakes.
import type { Db } from '../db/client';
import { transitionActivities } from './transitions';
import { calendarActivities } from './calendar';
import { rightsClaimActivities } from './rights-claims';
import { agreementActivities } from './agreements';

export interface ActivityDeps {
  db: Db;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...transitionActivities(deps),
    ...calendarActivities(deps),
    ...rightsClaimActivities(deps),
    ...agreementActivities(deps),
  };
}
