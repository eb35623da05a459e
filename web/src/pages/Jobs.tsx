// The job monitor: text extraction, OCR and translation jobs on material the reader may read,
// filtered by state, with each failure's error and a retry for those who may.

import { useCallback, useEffect, useState, type FormEvent } from 'react';

import * as api from '../api';
import { WITNESS_CODE, type Job, type MonitoredJob } from '../api';
import {
  DataTable,
  Hex,
  Listed,
  LiveNotice,
  NoRightsPage,
  PageHeading,
  SelectField,
  SubmitActions,
  describeError,
  isForbidden,
  type NoticeState,
} from '../components';
import { formatTime } from '../format';
import { useI18n, type MessageKey } from '../i18n';
import { witnessHref } from '../router';

const STATES: readonly Job['state'][] = ['queued', 'running', 'done', 'failed'];

/** A job's kind in words (also on the dashboard). */
export function jobKindKey(kind: string): MessageKey {
  if (kind === 'index') return 'job.index';
  return kind === 'translate' ? 'job.translate' : 'job.extract';
}

export function JobsPage() {
  const { t, lang } = useI18n();
  const [state, setState] = useState<Job['state'] | ''>('');
  const [shown, setShown] = useState<Job['state'] | ''>('');
  const [jobs, setJobs] = useState<MonitoredJob[] | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<NoticeState | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async (filter: Job['state'] | '') => {
    try {
      const page = await api.listJobs(filter);
      setJobs(page.jobs);
      setNext(page.next);
      setShown(filter);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, []);

  useEffect(() => {
    void load('');
  }, [load]);

  const filter = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    await load(state);
    setBusy(false);
  };

  const more = async () => {
    if (next === null) return;
    setBusy(true);
    try {
      const page = await api.listJobs(shown, next);
      setJobs((prev) => [...(prev ?? []), ...page.jobs]);
      setNext(page.next);
    } catch (e) {
      setNotice({ kind: 'error', text: describeError(e, t) });
    } finally {
      setBusy(false);
    }
  };

  const retry = async (job: MonitoredJob) => {
    try {
      await api.retryJob(job.id);
      setNotice({ kind: 'success', text: t('jobs.retried', { id: job.id }) });
      await load(shown);
    } catch (e) {
      setNotice({ kind: 'error', text: describeError(e, t) });
    }
  };

  if (error && isForbidden(error)) return <NoRightsPage title={t('jobs.title')} />;

  return (
    <>
      <PageHeading>{t('jobs.title')}</PageHeading>
      <p>{t('jobs.intro')}</p>
      <form onSubmit={filter} className="filter-form">
        <SelectField
          id="jobs-state"
          label={t('jobs.state')}
          options={STATES}
          optionLabel={(s) => t(`job.state.${s}`)}
          emptyOption={t('jobs.anyState')}
          value={state}
          onChange={(e) => setState(e.target.value as Job['state'] | '')}
        />
        <SubmitActions busy={busy}>{t('jobs.show')}</SubmitActions>
      </form>
      <LiveNotice notice={notice} />
      <Listed error={error} items={jobs} empty={t('dashboard.noJobs')}>
        {(items) => (
          <DataTable
            className="jobs-table"
            caption="jobs.caption"
            columns={[
              { label: 'jobs.colId', className: 'num' },
              'dashboard.colJob',
              'dashboard.colObject',
              'objects.colDomain',
              'dashboard.colState',
              { label: 'jobs.colAttempts', className: 'num' },
              'jobs.colUpdated',
              'dashboard.colError',
              'objects.colActions',
            ]}
          >
            {items.map((j) => (
              <tr key={j.id} data-job-id={j.id} data-job-state={j.state}>
                <th scope="row" className="num">
                  {j.id}
                </th>
                <td>{t(jobKindKey(j.kind))}</td>
                <td>
                  <Hex value={j.object} />
                </td>
                <td>{WITNESS_CODE.test(j.domain) ? <a href={witnessHref(j.domain)}>{j.domain}</a> : j.domain}</td>
                <td>
                  {t(`job.state.${j.state}`)}
                  {j.state === 'running' ? (
                    <>
                      {' '}
                      <progress max={100} value={Math.round(j.progress * 100)} aria-label={t('jobs.progress', { id: j.id })} />
                    </>
                  ) : null}
                </td>
                <td className="num">
                  {j.attempts}/{j.max_attempts}
                </td>
                <td>
                  <time dateTime={j.updated_at}>{formatTime(j.updated_at, lang)}</time>
                </td>
                <td className="job-error">{j.error}</td>
                <td className="row-actions">
                  {j.retry ? (
                    <button type="button" className="button-secondary" onClick={() => retry(j)} aria-label={t('jobs.retryLabel', { id: j.id })}>
                      {t('jobs.retry')}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </Listed>
      {next !== null && jobs && jobs.length > 0 ? (
        <div className="actions">
          <button type="button" className="button-secondary" onClick={more} disabled={busy}>
            {t('objects.loadMore')}
          </button>
        </div>
      ) : null}
    </>
  );
}
