import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';

import * as api from '../api';
import {
  ApiError,
  EVIDENCE_WRITERS,
  organisationsWhere,
  SENSITIVITIES,
  type EvidenceObject,
  type Sensitivity,
  type UploadResult,
  type User,
} from '../api';
import {
  DataTable,
  Field,
  Hex,
  LiveNotice,
  LoadError,
  Loading,
  NoRightsPage,
  PageHeading,
  SelectField,
  SubmitActions,
  describeError,
  isForbidden,
  type Column,
  type NoticeState,
} from '../components';
import { abbreviate, formatBytes, formatTime } from '../format';
import { useI18n } from '../i18n';
import { UploadProgress, useTooLarge, useUpload } from '../upload';

type VerifyState =
  | { state: 'checking' }
  | { state: 'ok'; checkedAt: string }
  | { state: 'failed'; checkedAt: string }
  | { state: 'error'; message: string };

export function ObjectsPage({ user }: { user: User }) {
  const { t } = useI18n();
  const [objects, setObjects] = useState<EvidenceObject[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [listNotice, setListNotice] = useState<NoticeState | null>(null);
  const [verify, setVerify] = useState<Record<string, VerifyState>>({});
  const objectsRef = useRef<EvidenceObject[] | null>(null);
  objectsRef.current = objects;

  const loadFirst = useCallback(async () => {
    try {
      const page = await api.listObjects(null, 50);
      setObjects(page.objects);
      setNext(page.next);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, []);

  useEffect(() => {
    void loadFirst();
  }, [loadFirst]);

  const loadMore = async () => {
    if (!next || loadingMore) return;
    setLoadingMore(true);
    try {
      const page = await api.listObjects(next, 50);
      setObjects((prev) => {
        const seen = new Set((prev ?? []).map((o) => o.id));
        return [...(prev ?? []), ...page.objects.filter((o) => !seen.has(o.id))];
      });
      setNext(page.next);
    } catch (e) {
      setListNotice({ kind: 'error', text: describeError(e, t) });
    } finally {
      setLoadingMore(false);
    }
  };

  // After an upload: the first page again, merged with what was loaded, and the new object
  // itself even if it sorts beyond the pages loaded (the list is ordered by id).
  const uploaded = useCallback(
    async (r: UploadResult) => {
      let fresh: EvidenceObject[] = [];
      let freshNext: string | null = null;
      try {
        const page = await api.listObjects(null, 50);
        fresh = page.objects;
        freshNext = page.next;
      } catch (e) {
        setListNotice({ kind: 'error', text: describeError(e, t) });
      }
      const hadList = objectsRef.current !== null;
      setObjects((prev) => {
        const byId = new Map<string, EvidenceObject>();
        for (const o of prev ?? []) byId.set(o.id, o);
        for (const o of fresh) byId.set(o.id, o);
        if (!byId.has(r.id)) {
          byId.set(r.id, {
            id: r.id,
            domain: r.domain,
            size: r.size,
            sha256: r.sha256,
            created_at: new Date().toISOString(),
            media_type: '',
            sensitivity: r.sensitivity,
          });
        }
        return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      });
      // A list that was complete stays complete; otherwise paging goes on where it was.
      setNext((n) => (hadList ? n : freshNext));
    },
    [t],
  );

  const runVerify = async (id: string) => {
    setVerify((v) => ({ ...v, [id]: { state: 'checking' } }));
    try {
      const r = await api.verifyObject(id);
      setVerify((v) => ({
        ...v,
        [id]: r.verified ? { state: 'ok', checkedAt: r.checked_at } : { state: 'failed', checkedAt: r.checked_at },
      }));
    } catch (e) {
      setVerify((v) => ({ ...v, [id]: { state: 'error', message: describeError(e, t) } }));
    }
  };

  if (error && isForbidden(error)) return <NoRightsPage title={t('objects.title')} />;

  const writerOrgs = organisationsWhere(user, EVIDENCE_WRITERS);

  return (
    <>
      <PageHeading>{t('objects.title')}</PageHeading>
      <p>{t('objects.intro')}</p>
      {error ? <LoadError error={error} /> : null}

      <section aria-labelledby="upload-heading" className="panel">
        <h2 id="upload-heading">{t('objects.uploadHeading')}</h2>
        {writerOrgs.length === 0 ? <p>{t('objects.readOnly')}</p> : <UploadForm organisations={writerOrgs} onUploaded={uploaded} />}
      </section>

      <section aria-labelledby="list-heading">
        <h2 id="list-heading">{t('objects.listHeading')}</h2>
        <LiveNotice notice={listNotice} />
        {objects === null ? (
          error ? null : <Loading />
        ) : objects.length === 0 ? (
          <p>{t('objects.none')}</p>
        ) : (
          <ObjectTable objects={objects} verify={verify} onVerify={runVerify} />
        )}
        {objects && objects.length > 0 ? (
          <div className="actions">
            <span className="muted">{t('objects.shown', { n: objects.length })}</span>
            {next ? (
              <button type="button" className="button-secondary" onClick={loadMore} disabled={loadingMore}>
                {loadingMore ? t('app.loading') : t('objects.loadMore')}
              </button>
            ) : null}
          </div>
        ) : null}
      </section>
    </>
  );
}

/** The first columns of a table of objects (here and on the dashboard): their headings… */
export const OBJECT_COLUMNS: readonly Column[] = [
  'objects.colId',
  'objects.colDomain',
  { label: 'objects.colSize', className: 'num' },
  'objects.colCreated',
];

/** …and an object's cells under them. */
export function ObjectCells({ object: o }: { object: EvidenceObject }) {
  const { t, lang } = useI18n();
  return (
    <>
      <th scope="row">
        <Hex value={o.id} />
      </th>
      <td>
        {o.domain}
        {o.sensitivity !== 'normal' ? (
          <>
            {' '}
            <span className="badge badge-restricted" data-sensitivity={o.sensitivity}>
              {t(`sensitivity.${o.sensitivity}`)}
            </span>
          </>
        ) : null}
      </td>
      <td className="num" title={`${o.size} B`}>
        {formatBytes(o.size, lang, t)}
      </td>
      <td>
        <time dateTime={o.created_at}>{formatTime(o.created_at, lang)}</time>
      </td>
    </>
  );
}

function ObjectTable({
  objects,
  verify,
  onVerify,
}: {
  objects: EvidenceObject[];
  verify: Record<string, VerifyState>;
  onVerify: (id: string) => void;
}) {
  const { t } = useI18n();
  return (
    <DataTable
      className="objects-table"
      caption="objects.caption"
      columns={[...OBJECT_COLUMNS, 'objects.colSha', 'objects.colVerify', 'objects.colActions']}
    >
      {objects.map((o) => {
        const v = verify[o.id];
        return (
          <tr key={o.id} data-object-id={o.id}>
            <ObjectCells object={o} />
            <td>
              <Hex value={o.sha256} />
            </td>
            <td className="verify-cell" aria-live="polite">
              <VerifyStatus id={o.id} v={v} />
            </td>
            <td className="row-actions">
              <a
                href={api.contentUrl(o.id)}
                download={o.id}
                className="button-link"
                aria-label={t('objects.downloadLabel', { id: o.id })}
              >
                {t('objects.download')}
              </a>
              <button
                type="button"
                className="button-secondary"
                onClick={() => onVerify(o.id)}
                disabled={v?.state === 'checking'}
                aria-label={t('objects.verifyLabel', { id: o.id })}
              >
                {t('objects.verify')}
              </button>
            </td>
          </tr>
        );
      })}
    </DataTable>
  );
}

function VerifyStatus({ id, v }: { id: string; v: VerifyState | undefined }) {
  const { t, lang } = useI18n();
  if (!v) return <span className="muted">{t('objects.notChecked')}</span>;
  switch (v.state) {
    case 'checking':
      return <span>{t('objects.verifying')}</span>;
    case 'ok':
      return (
        <span className="verify-ok" data-verify="ok">
          <span aria-hidden="true">✓ </span>
          {t('objects.verified', { time: formatTime(v.checkedAt, lang) })}
        </span>
      );
    case 'failed':
      return (
        <span className="verify-failed" data-verify="failed" role="alert">
          <strong>
            <span aria-hidden="true">✗ </span>
            {t('objects.failed')}
          </strong>
          <span className="visually-hidden">
            {' '}
            {t('objects.failedDetail', { id, time: formatTime(v.checkedAt, lang) })}
          </span>
        </span>
      );
    default:
      return (
        <span className="verify-error" data-verify="error">
          {v.message}
        </span>
      );
  }
}

function UploadForm({ organisations, onUploaded }: { organisations: string[]; onUploaded: (r: UploadResult) => void }) {
  const { t } = useI18n();
  const ids = { file: useId(), domain: useId(), org: useId(), sensitivity: useId() };
  const [sensitivity, setSensitivity] = useState<Sensitivity>('normal');
  const fileRef = useRef<HTMLInputElement>(null);
  const [domain, setDomain] = useState('');
  const [organisation, setOrganisation] = useState(organisations.length === 1 ? organisations[0] : '');
  const [notice, setNotice] = useState<NoticeState | null>(null);
  const [hashNote, setHashNote] = useState<NoticeState | null>(null);
  const [result, setResult] = useState<NoticeState | null>(null);
  const { phase, busy, upload } = useUpload(setNotice);
  const tooLarge = useTooLarge();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setResult(null);
    setHashNote(null);
    const file = fileRef.current?.files?.[0];
    if (!file) {
      setNotice({ kind: 'error', text: t('objects.chooseFile') });
      fileRef.current?.focus();
      return;
    }
    const keyDomain = domain.trim();
    if (!keyDomain) {
      setNotice({ kind: 'error', text: t('objects.enterDomain') });
      document.getElementById(ids.domain)?.focus();
      return;
    }
    const large = tooLarge(file);
    if (large) {
      setNotice({ kind: 'error', text: large });
      return;
    }
    if (organisations.length > 1 && !organisation) {
      setNotice({ kind: 'error', text: t('objects.chooseOrganisation') });
      document.getElementById(ids.org)?.focus();
      return;
    }

    try {
      const { result: r, local } = await upload(file, keyDomain, organisations.length > 1 ? organisation : null, sensitivity);
      if (local === null) setHashNote({ kind: 'info', text: t('objects.noWebCrypto') });
      const kept =
        r.sensitivity !== sensitivity ? ` ${t('objects.keptSensitivity', { category: t(`sensitivity.${r.sensitivity}`) })}` : '';
      const stored = t('objects.stored', { name: file.name, id: r.id }) + (r.deduplicated ? ` ${t('objects.deduplicated')}` : '') + kept;
      if (local !== null && local !== r.sha256) {
        setNotice({ kind: 'error', text: t('objects.hashMismatch', { server: r.sha256, local }) });
        setResult(null);
      } else {
        setNotice({ kind: 'success', text: stored });
        if (local !== null) setResult({ kind: 'success', text: `${t('objects.hashMatch')} (${abbreviate(r.sha256, 16)})` });
      }
      if (fileRef.current) fileRef.current.value = '';
      onUploaded(r);
    } catch (err) {
      const message = err instanceof ApiError && err.status === 413 ? t('error.tooLarge') : describeError(err, t);
      setNotice({ kind: 'error', text: t('objects.uploadFailed', { message }) });
    }
  };

  return (
    <form onSubmit={submit} className="form-grid upload-form">
      <Field
        id={ids.file}
        ref={fileRef}
        label={t('objects.file')}
        help={t('objects.fileHelp')}
        type="file"
        name="file"
        disabled={busy}
      />
      <Field
        id={ids.domain}
        label={t('objects.domain')}
        help={t('objects.domainHelp')}
        type="text"
        name="domain"
        required
        placeholder="W-00123"
        autoComplete="off"
        spellCheck={false}
        value={domain}
        onChange={(e) => setDomain(e.target.value)}
        disabled={busy}
      />
      <SelectField
        id={ids.sensitivity}
        label={t('objects.sensitivity')}
        help={t('objects.sensitivityHelp')}
        options={SENSITIVITIES}
        optionLabel={(s) => t(`sensitivity.${s}`)}
        name="sensitivity"
        value={sensitivity}
        onChange={(e) => setSensitivity(e.target.value as Sensitivity)}
        disabled={busy}
      />
      {organisations.length > 1 ? (
        <SelectField
          id={ids.org}
          label={t('objects.organisation')}
          emptyOption={t('objects.chooseOrganisation')}
          options={organisations}
          required
          value={organisation}
          onChange={(e) => setOrganisation(e.target.value)}
          disabled={busy}
        />
      ) : null}
      <SubmitActions busy={busy}>{t('objects.upload')}</SubmitActions>
      <UploadProgress phase={phase} />
      <LiveNotice notice={notice} className="upload-notice" />
      {hashNote ? <p className="notice notice-info">{hashNote.text}</p> : null}
      <div role="status" aria-live="polite" className="upload-result">
        {result ? (
          <p className="notice notice-success" data-testid="upload-verified">
            <span aria-hidden="true">✓ </span>
            {result.text}
          </p>
        ) : null}
      </div>
    </form>
  );
}
