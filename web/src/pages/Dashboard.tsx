import { useEffect, useState } from 'react';

import * as api from '../api';
import { EVIDENCE_READERS, hasAnyRole, type Dashboard, type User } from '../api';
import { DataTable, Hex, LoadError, Loading, PageHeading } from '../components';
import { formatBytes, formatNumber } from '../format';
import { useI18n, type MessageKey } from '../i18n';
import { routeHref } from '../router';
import { EventTable } from './Audit';
import { jobKindKey } from './Jobs';
import { OBJECT_COLUMNS, ObjectCells } from './Objects';

export function DashboardPage({ user }: { user: User }) {
  const { t, lang } = useI18n();
  const [data, setData] = useState<Dashboard | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let cancelled = false;
    api.dashboard().then(
      (d) => !cancelled && setData(d),
      (e) => !cancelled && setError(e),
    );
    return () => {
      cancelled = true;
    };
  }, []);

  const body = () => {
    if (error) return <LoadError error={error} />;
    if (!data) return <Loading />;
    const jobs = Array.isArray(data.jobs) ? data.jobs : [];
    return (
      <>
        <section aria-labelledby="dash-holdings">
          <h2 id="dash-holdings">{t('dashboard.holdings')}</h2>
          <dl className="stats">
            <div className="stat">
              <dt>{t('dashboard.objects')}</dt>
              <dd data-testid="stat-objects">{formatNumber(data.objects, lang)}</dd>
            </div>
            <div className="stat">
              <dt>{t('dashboard.bytes')}</dt>
              <dd data-testid="stat-bytes" title={`${formatNumber(data.bytes, lang)} B`}>
                {formatBytes(data.bytes, lang, t)}
              </dd>
            </div>
          </dl>
        </section>

        <section aria-labelledby="dash-recent-objects">
          <h2 id="dash-recent-objects">{t('dashboard.recentObjects')}</h2>
          {data.recent_objects.length === 0 ? (
            <p>{t('dashboard.noObjects')}</p>
          ) : (
            <DataTable columns={OBJECT_COLUMNS}>
              {data.recent_objects.map((o) => (
                <tr key={o.id}>
                  <ObjectCells object={o} />
                </tr>
              ))}
            </DataTable>
          )}
          {hasAnyRole(user, EVIDENCE_READERS) ? (
            <p>
              <a href={routeHref('objects')}>{t('dashboard.allObjects')}</a>
            </p>
          ) : null}
        </section>

        {data.recent_events ? (
          <section aria-labelledby="dash-recent-events">
            <h2 id="dash-recent-events">{t('dashboard.recentEvents')}</h2>
            {data.recent_events.length === 0 ? (
              <p>{t('dashboard.noEvents')}</p>
            ) : (
              <EventTable events={data.recent_events} />
            )}
            <p>
              <a href={routeHref('audit')}>{t('dashboard.fullAudit')}</a>
            </p>
          </section>
        ) : null}

        <section aria-labelledby="dash-jobs">
          <h2 id="dash-jobs">{t('dashboard.jobs')}</h2>
          {jobs.length === 0 ? (
            <p>{t('dashboard.noJobs')}</p>
          ) : (
            <DataTable
              className="jobs-table"
              wrap={false}
              columns={['dashboard.colJob', 'dashboard.colObject', 'dashboard.colState', 'dashboard.colError']}
            >
              {jobs.map((j) => (
                <tr key={j.id} data-job-state={j.state}>
                  <th scope="row">{t(jobKindKey(j.kind))}</th>
                  <td>
                    <Hex value={j.object} />
                  </td>
                  <td>{t(`job.state.${j.state}` as MessageKey)}</td>
                  <td>{j.error}</td>
                </tr>
              ))}
            </DataTable>
          )}
          {hasAnyRole(user, EVIDENCE_READERS) ? (
            <p>
              <a href={routeHref('jobs')}>{t('dashboard.allJobs')}</a>
            </p>
          ) : null}
        </section>
      </>
    );
  };

  return (
    <>
      <PageHeading>{t('dashboard.title')}</PageHeading>
      {body()}
    </>
  );
}
