// Every workflow type the worker runs. Workflow code imports only pure modules and Temporal's
// workflow API (see STYLE.md habit 4).
export { shareRequest } from './share-request';
export { shareDemand } from './share-demand';
export { openDataApplication } from './open-data-application';
export { openDataRequest } from './open-data-request';
export { objection } from './objection';
export { qualityRectification } from './quality-rectification';
export { rightsClaim } from './rights-claim';
