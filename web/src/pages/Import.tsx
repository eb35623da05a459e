// Bulk import in the browser: a CSV manifest and the files it names are checked whole by the
// server (a dry run stores nothing and lists every problem with its line and column); only a
// manifest without problems is then imported, all of it.

import { useState, type FormEvent } from 'react';

import * as api from '../api';
import { MAX_UPLOAD_BYTES, type ImportResult } from '../api';
import { DataTable, Fact, Field, LiveNotice, PageHeading, describeError, type NoticeState } from '../components';
import { formatBytes } from '../format';
import { useI18n } from '../i18n';
import { routeHref } from '../router';
import { UploadProgress, type UploadPhase } from '../upload';

export function ImportPage() {
  const { t, lang } = useI18n();
  const [manifest, setManifest] = useState<File | null>(null);
  const [files, setFiles] = useState<File[]>([]);
  const [checked, setChecked] = useState<ImportResult | null>(null);
  const [imported, setImported] = useState<ImportResult | null>(null);
  const [phase, setPhase] = useState<UploadPhase>({ phase: 'idle' });
  const [notice, setNotice] = useState<NoticeState | null>(null);
  const busy = phase.phase === 'sending' || phase.phase === 'processing';

  // A new choice of files needs a new check before it can be imported.
  const chose = (m: File | null, f: File[]) => {
    setManifest(m);
    setFiles(f);
    setChecked(null);
    setImported(null);
    setNotice(null);
  };

  const send = async (dryRun: boolean) => {
    if (!manifest) {
      setNotice({ kind: 'error', text: t('import.chooseManifest') });
      document.getElementById('import-manifest')?.focus();
      return;
    }
    const size = [manifest, ...files].reduce((n, f) => n + f.size, 0);
    if (size > MAX_UPLOAD_BYTES) {
      setNotice({ kind: 'error', text: t('import.tooLarge', { size: formatBytes(size, lang, t) }) });
      return;
    }
    setNotice({ kind: 'info', text: dryRun ? t('import.checking') : t('import.importing') });
    setPhase({ phase: 'sending', fraction: 0 });
    const handle = api.importManifest(manifest, files, dryRun, (fraction) =>
      setPhase(fraction >= 1 ? { phase: 'processing' } : { phase: 'sending', fraction }),
    );
    try {
      const r = await handle.promise;
      setPhase({ phase: 'done' });
      if (dryRun) {
        setChecked(r);
        setNotice(
          r.problems.length === 0
            ? { kind: 'success', text: t('import.checkedClean', { rows: r.rows, files: r.files }) }
            : { kind: 'error', text: t('import.checkedProblems', { n: r.problems.length }) },
        );
      } else {
        setImported(r);
        setNotice({ kind: 'success', text: t('import.done') });
      }
    } catch (e) {
      setPhase({ phase: 'idle' });
      setNotice({ kind: 'error', text: describeError(e, t) });
    }
  };

  const check = (e: FormEvent) => {
    e.preventDefault();
    void send(true);
  };
  const clean = checked !== null && checked.problems.length === 0 && imported === null;

  return (
    <>
      <PageHeading>{t('import.title')}</PageHeading>
      <p>{t('import.intro')}</p>
      <section aria-labelledby="import-heading" className="panel">
        <h2 id="import-heading">{t('import.heading')}</h2>
        <form onSubmit={check} className="form-grid" noValidate>
          <Field
            id="import-manifest"
            label={t('import.manifest')}
            help={t('import.manifestHelp')}
            type="file"
            accept=".csv,text/csv"
            disabled={busy}
            onChange={(e) => chose(e.target.files?.[0] ?? null, files)}
          />
          <Field
            id="import-files"
            label={t('import.files')}
            help={t('import.filesHelp')}
            type="file"
            multiple
            disabled={busy}
            onChange={(e) => chose(manifest, Array.from(e.target.files ?? []))}
          />
          <div className="actions">
            <button type="submit" disabled={busy}>
              {t('import.check')}
            </button>
            <button type="button" onClick={() => void send(false)} disabled={busy || !clean} aria-describedby="import-why">
              {t('import.import')}
            </button>
            <span id="import-why" className="help">
              {t('import.importHelp')}
            </span>
          </div>
          <UploadProgress phase={phase} id="import-progress" />
          <LiveNotice notice={notice} className="wide-fieldset" />
        </form>
      </section>

      {checked && checked.problems.length > 0 ? (
        <section aria-labelledby="problems-heading">
          <h2 id="problems-heading">{t('import.problems')}</h2>
          <DataTable
            className="problems-table"
            caption="import.problemsCaption"
            columns={[
              { label: 'import.colLine', className: 'num' },
              { label: 'import.colColumn', className: 'num' },
              'import.colProblem',
            ]}
          >
            {checked.problems.map((p, i) => (
              <tr key={i} data-line={p.line} data-column={p.column}>
                <td className="num">{p.line}</td>
                <td className="num">{p.column || '—'}</td>
                <td>{p.message}</td>
              </tr>
            ))}
          </DataTable>
        </section>
      ) : null}

      {imported?.report ? (
        <section aria-labelledby="report-heading">
          <h2 id="report-heading">{t('import.report')}</h2>
          <dl className="facts" data-testid="import-report">
            <Fact term={t('import.witnesses')}>{imported.report.witnesses}</Fact>
            <Fact term={t('import.consents')}>{imported.report.consents}</Fact>
            <Fact term={t('import.interviews')}>{imported.report.interviews}</Fact>
            <Fact term={t('import.documents')}>{imported.report.documents}</Fact>
            <Fact term={t('import.skipped')}>{imported.report.skipped}</Fact>
          </dl>
          <p>
            <a href={routeHref('witnesses')}>{t('nav.witnesses')}</a> · <a href={routeHref('jobs')}>{t('nav.jobs')}</a>
          </p>
        </section>
      ) : null}
    </>
  );
}
