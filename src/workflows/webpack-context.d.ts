// webpack's context module (https://webpack.js.org/api/module-methods/#importmetawebpackcontext):
// the worker's bundler resolves it at bundle time, so workflows/index.ts can find each process's
// workflow module by name.
interface WebpackContext {
  (request: string): unknown;
  keys(): string[];
}

interface ImportMeta {
  webpackContext(directory: string, options: { recursive?: boolean; regExp?: RegExp; mode?: 'sync' | 'eager' | 'lazy' }): WebpackContext;
}
