// Every side effect of the workflows, built from explicit dependencies so tests can pass fakes.
import type { Db } from '../db/client';
import { transitionActivities } from './transitions';
import { calendarActivities } from './calendar';
import { rightsClaimActivities } from './rights-claims';
import { agreementActivities } from './agreements';
import { attentionActivities } from './attention';
import { failingFast } from './failures';

export interface ActivityDeps {
  db: Db;
}

export function createActivities(deps: ActivityDeps) {
  return {
    // A step's failure that retrying cannot fix ends its retries at once (the case then needs attention).
    ...failingFast({
      ...transitionActivities(deps),
      ...calendarActivities(deps),
      ...rightsClaimActivities(deps),
      ...agreementActivities(deps),
    }),
    // Recording that a case needs attention is retried until it is done: it carries no case data.
    ...attentionActivities(deps),
  };
}
