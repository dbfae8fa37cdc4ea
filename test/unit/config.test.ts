// The environment settings read at start (README "Run it"): refused values stop the start with a
// message that says what to do.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';

describe('ADMIN_TOKEN', () => {
  it('is refused at start-up when shorter than 24 characters, saying how to make one', () => {
    expect(() => loadConfig({ ADMIN_TOKEN: 'change-me' })).toThrow(/ADMIN_TOKEN must be at least 24 characters long \(it has 9\).*openssl rand -hex 24/);
    expect(() => loadConfig({ ADMIN_TOKEN: 'x'.repeat(23) })).toThrow(/at least 24/);
  });

  it('is accepted from 24 characters on, and may be left unset', () => {
    expect(loadConfig({ ADMIN_TOKEN: 'x'.repeat(24) }).adminToken).toBe('x'.repeat(24));
    expect(loadConfig({}).adminToken).toBeUndefined();
  });
});

describe('rate limits', () => {
  it('default to 20 requests per second and 500 new cases per hour', () => {
    expect(loadConfig({}).limits).toEqual({ requestsPerSecond: 20, caseCreationsPerHour: 500 });
  });

  it('are read from RATE_LIMIT_PER_SECOND and CASE_CREATION_QUOTA_PER_HOUR', () => {
    expect(loadConfig({ RATE_LIMIT_PER_SECOND: '50', CASE_CREATION_QUOTA_PER_HOUR: '2000' }).limits).toEqual({ requestsPerSecond: 50, caseCreationsPerHour: 2000 });
  });

  it('refuse values that are not whole positive numbers', () => {
    for (const value of ['0', '-5', '1.5', 'many', '20/s']) {
      expect(() => loadConfig({ RATE_LIMIT_PER_SECOND: value }), value).toThrow(/RATE_LIMIT_PER_SECOND must be a whole number/);
      expect(() => loadConfig({ CASE_CREATION_QUOTA_PER_HOUR: value }), value).toThrow(/CASE_CREATION_QUOTA_PER_HOUR must be a whole number/);
    }
  });
});

describe('WEBHOOKS_ALLOW_LOOPBACK', () => {
  it('is off by default, on only with "true", and refuses anything else', () => {
    expect(loadConfig({}).webhooks.allowLoopback).toBe(false);
    expect(loadConfig({ WEBHOOKS_ALLOW_LOOPBACK: 'false' }).webhooks.allowLoopback).toBe(false);
    expect(loadConfig({ WEBHOOKS_ALLOW_LOOPBACK: 'true' }).webhooks.allowLoopback).toBe(true);
    expect(() => loadConfig({ WEBHOOKS_ALLOW_LOOPBACK: 'yes' })).toThrow(/WEBHOOKS_ALLOW_LOOPBACK must be true or false/);
  });
});

describe('worker tuning and metrics (README "Operating")', () => {
  it('keeps 100 workflows cached by default, overridable, and refuses a non-number', () => {
    expect(loadConfig({}).worker).toEqual({ maxCachedWorkflows: 100, maxConcurrentWorkflowTaskExecutions: 40, maxConcurrentActivityTaskExecutions: 40, workflowHeapMb: 96, workflowSemiSpaceMb: 4 });
    expect(loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '500', WORKER_WORKFLOW_HEAP_MB: '256', WORKER_WORKFLOW_SEMI_SPACE_MB: '16' }).worker).toMatchObject({ maxCachedWorkflows: 500, workflowHeapMb: 256, workflowSemiSpaceMb: 16 });
    expect(() => loadConfig({ WORKER_WORKFLOW_SEMI_SPACE_MB: '0' })).toThrow(/WORKER_WORKFLOW_SEMI_SPACE_MB must be a whole number of MB/);
    expect(() => loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: 'lots' })).toThrow(/WORKER_MAX_CACHED_WORKFLOWS must be a whole number/);
  });

  it('serves the Temporal core metrics on 127.0.0.1:9464 unless off, and refuses a short METRICS_TOKEN', () => {
    expect(loadConfig({}).temporalMetricsAddress).toBe('127.0.0.1:9464');
    expect(loadConfig({ TEMPORAL_METRICS_ADDRESS: 'off' }).temporalMetricsAddress).toBeUndefined();
    expect(() => loadConfig({ TEMPORAL_METRICS_ADDRESS: '9464' })).toThrow(/TEMPORAL_METRICS_ADDRESS must be host:port or off/);
    expect(loadConfig({}).workerMetricsAddress).toBeUndefined();
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN must be at least 24 characters/);
  });
});
