// Supervision (competent, government): the timeliness report of a jurisdiction for a period as
// charts (received, and the share decided on time, per agency and case type) with the same rows
// as a table, and the public notices (通报批评).
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, type Me, type Notice, type TimelinessRow } from './api';
import { caseTypeName, t, when } from './i18n';

const shanghaiToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

function Chart(props: { id: string; title: string; categories: string[]; values: number[] }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // ECharts is loaded with the first chart: approvers who never open supervision never fetch it.
    let dispose: (() => void) | undefined;
    let gone = false;
    void import('./chart').then(({ barChart }) => {
      if (!gone && el.current) dispose = barChart(el.current, props.title, props.categories, props.values);
    });
    return () => {
      gone = true;
      dispose?.();
    };
  }, [props.title, props.categories.join('|'), props.values.join('|')]);
  return (
    <figure class="chart-figure">
      <figcaption id={`${props.id}-caption`}>{props.title}</figcaption>
      <div class="chart" id={props.id} ref={el} role="img" />
    </figure>
  );
}

export function Reports(props: { me: Me }) {
  const [jurisdictions, setJurisdictions] = useState<{ id: string; name: string }[]>([]);
  const [form, setForm] = useState({ jurisdiction: props.me.jurisdiction ?? 'jiangsu', from: `${shanghaiToday().slice(0, 4)}-01-01`, to: shanghaiToday(), caseType: '' });
  const [applied, setApplied] = useState(form);
  const [rows, setRows] = useState<TimelinessRow[] | null>(null);
  const [notices, setNotices] = useState<Notice[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api<{ id: string; name: string }[]>('GET', '/v1/jurisdictions').then(setJurisdictions, () => undefined);
  }, []);
  useEffect(() => {
    setError(null);
    const q = new URLSearchParams({ jurisdiction: applied.jurisdiction, from: applied.from, to: applied.to });
    if (applied.caseType) q.set('caseType', applied.caseType);
    Promise.all([
      api<{ rows: TimelinessRow[] }>('GET', `/v1/reports/timeliness?${q}`),
      api<{ items: Notice[] }>('GET', `/v1/reports/notices?jurisdiction=${encodeURIComponent(applied.jurisdiction)}`),
    ])
      .then(([r, n]) => {
        setRows(r.rows);
        setNotices(n.items);
      })
      .catch((err: unknown) => setError(err instanceof ApiError ? err.message : String(err)));
  }, [applied]);

  const label = (r: TimelinessRow) => `${r.agencyId ?? '—'} · ${caseTypeName(r.caseType)}`;
  return (
    <main id="main">
      <h1 tabIndex={-1}>{t('timeliness')}</h1>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(form);
        }}
      >
        <label for="r-j">{t('jurisdiction')}</label>
        <select id="r-j" value={form.jurisdiction} onChange={(e) => setForm({ ...form, jurisdiction: e.currentTarget.value })}>
          {(jurisdictions.length ? jurisdictions : [{ id: form.jurisdiction, name: form.jurisdiction }]).map((j) => (
            <option value={j.id}>{j.name}</option>
          ))}
        </select>
        <label for="r-from">{t('from')}</label>
        <input id="r-from" type="date" value={form.from} onInput={(e) => setForm({ ...form, from: e.currentTarget.value })} />
        <label for="r-to">{t('to')}</label>
        <input id="r-to" type="date" value={form.to} onInput={(e) => setForm({ ...form, to: e.currentTarget.value })} />
        <button type="submit">{t('apply')}</button>
      </form>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      {rows === null ? (
        <p>{t('loading')}</p>
      ) : rows.length === 0 ? (
        <p>{t('noRows')}</p>
      ) : (
        <>
          <div class="charts">
            <Chart id="chart-received" title={t('receivedCount')} categories={rows.map(label)} values={rows.map((r) => r.received)} />
            <Chart id="chart-ontime" title={t('onTimeRate')} categories={rows.map(label)} values={rows.map((r) => (r.decided ? Math.round((100 * r.onTime) / r.decided) : 0))} />
          </div>
          <table class="report">
            <caption>{t('timeliness')}</caption>
            <thead>
              <tr>
                {(['agency', 'caseType', 'receivedCount', 'decided', 'onTime', 'late', 'deemed', 'overdueOpen', 'median'] as const).map((k) => (
                  <th scope="col">{t(k)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <th scope="row">{r.agencyId ?? '—'}</th>
                  <td>{caseTypeName(r.caseType)}</td>
                  <td>{r.received}</td>
                  <td>{r.decided}</td>
                  <td>{r.onTime}</td>
                  <td>{r.late}</td>
                  <td>{r.deemed}</td>
                  <td>{r.overdueOpen}</td>
                  <td>{r.medianWorkingDays ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <section aria-labelledby="notices-h">
        <h2 id="notices-h">{t('notices')}</h2>
        {notices.length === 0 ? (
          <p>{t('noNotices')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('agency')}</th>
                <th scope="col">{t('case')}</th>
                <th scope="col">{t('reason')}</th>
                <th scope="col">{t('article')}</th>
                <th scope="col">{t('issuedAt')}</th>
              </tr>
            </thead>
            <tbody>
              {notices.map((n) => (
                <tr key={n.id}>
                  <td>{n.agencyId ?? '—'}</td>
                  <td>
                    <a href={`#/case/${encodeURIComponent(n.caseId)}`}>{n.caseId}</a>
                  </td>
                  <td>{n.reason}</td>
                  <td>{n.citation}</td>
                  <td>{when(n.issuedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </main>
  );
}
