// Every workflow type the worker runs. Workflow code imports only pure modules and Temporal's
// workflow API (see STYLE.md habit 4).
export { shareRequest } from './share-request';
export { shareDemand } from './share-demand';
