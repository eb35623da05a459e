// A witness's interviews, documents and contact log, on their page: listed as the reader may see
// them (objects of categories they may not read are only counted), recorded by those who may
// with the files uploaded into the witness's own key domain, and every contact checked for
// warnings before it is planned.

import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';

import * as api from '../api';
import {
  CONTACT_CHANNELS,
  DOCUMENT_KINDS,
  SENSITIVITIES,
  type ContactChannel,
  type DocumentKind,
  type Interview,
  type Sensitivity,
  type WitnessDocument,
  type WitnessPage as WitnessData,
} from '../api';
import {
  DataTable,
  Field,
  Listed,
  LiveNotice,
  SelectField,
  SubmitActions,
  TextAreaField,
  describeError,
  useLoad,
  useSubmit,
  type Loaded,
} from '../components';
import { useI18n } from '../i18n';
import { documentHref, interviewHref } from '../router';
import { HashMismatch, UploadProgress, useTooLarge, useUpload } from '../upload';
import { languageName } from './Texts';
import { parseLanguages } from './Witnesses';

const today = () => new Date().toISOString().slice(0, 10);

export function WitnessRecords({ witness: w }: { witness: WitnessData }) {
  const code = w.code;
  const interviews = useLoad(useCallback(() => api.listInterviews(code), [code]));
  const documents = useLoad(useCallback(() => api.listDocuments(code), [code]));
  return (
    <>
      <InterviewsSection code={code} languages={w.languages ?? []} list={interviews} canRecord={w.permissions.record} />
      <DocumentsSection
        code={code}
        list={documents}
        interviews={interviews.data?.interviews ?? []}
        canRecord={w.permissions.record}
      />
      {w.permissions.contacts ? <ContactsSection code={code} /> : null}
    </>
  );
}

/** Objects of the record the reader may not read (a restricted category), counted. */
function Withheld({ n }: { n: number }) {
  const { t } = useI18n();
  return n > 0 ? <p className="notice notice-info">{t('records.withheld', { n })}</p> : null;
}

// --- Interviews ------------------------------------------------------------------------------

function InterviewsSection({
  code,
  languages,
  list,
  canRecord,
}: {
  code: string;
  languages: string[];
  list: Loaded<{ interviews: Interview[] }>;
  canRecord: boolean;
}) {
  const { t } = useI18n();
  const interviews = list.data?.interviews;
  const withheld = (interviews ?? []).reduce((n, iv) => n + iv.withheld, 0);
  return (
    <section aria-labelledby="interviews-heading">
      <h2 id="interviews-heading">{t('interviews.heading')}</h2>
      <Listed error={list.error} items={interviews} empty={t('interviews.none')}>
        {(items) => (
          <DataTable
            className="interviews-table"
            caption="interviews.caption"
            columns={['interview.on', 'interview.status', 'interview.place', 'interview.interviewer', 'interviews.colMaterial']}
          >
            {items.map((iv) => (
              <tr key={iv.id} data-interview={iv.id}>
                <th scope="row">
                  <a href={interviewHref(iv.id)} aria-label={t('interviews.open', { on: iv.on })}>
                    {iv.on}
                  </a>
                </th>
                <td>{t(`interview.status.${iv.status}`)}</td>
                <td>{iv.remote ? t('interview.remote') : iv.place}</td>
                <td>{iv.interviewer}</td>
                <td>
                  {t('interviews.material', {
                    recordings: iv.recordings.length,
                    transcript: iv.transcript ? t('interviews.withTranscript') : t('interviews.noTranscript'),
                  })}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </Listed>
      <Withheld n={withheld} />
      {canRecord ? <RecordInterviewForm code={code} languages={languages} onRecorded={list.reload} /> : null}
    </section>
  );
}

/** A sensitivity select for the files of a form. */
function SensitivityField({ id, value, onChange }: { id: string; value: Sensitivity; onChange: (s: Sensitivity) => void }) {
  const { t } = useI18n();
  return (
    <SelectField
      id={id}
      label={t('objects.sensitivity')}
      help={t('objects.sensitivityHelp')}
      options={SENSITIVITIES}
      optionLabel={(s) => t(`sensitivity.${s}`)}
      value={value}
      onChange={(e) => onChange(e.target.value as Sensitivity)}
    />
  );
}

/** The failure of an upload or a record, in the reader's language. */
function useFailure() {
  const { t } = useI18n();
  return (e: unknown) =>
    e instanceof HashMismatch ? t('objects.hashMismatch', { server: e.server, local: e.local }) : describeError(e, t);
}

function RecordInterviewForm({ code, languages, onRecorded }: { code: string; languages: string[]; onRecorded: () => Promise<void> }) {
  const { t } = useI18n();
  const id = useId();
  const ids = {
    on: `${id}-on`,
    interviewer: `${id}-interviewer`,
    place: `${id}-place`,
    remote: `${id}-remote`,
    languages: `${id}-languages`,
    recordings: `${id}-recordings`,
    transcript: `${id}-transcript`,
    sensitivity: `${id}-sensitivity`,
  };
  const [on, setOn] = useState(today);
  const [interviewer, setInterviewer] = useState('');
  const [place, setPlace] = useState('');
  const [remote, setRemote] = useState(false);
  const [langs, setLangs] = useState(languages.join(', '));
  const [sensitivity, setSensitivity] = useState<Sensitivity>('normal');
  const recordingsRef = useRef<HTMLInputElement>(null);
  const transcriptRef = useRef<HTMLInputElement>(null);
  const { busy, notice, setNotice, showError, run } = useSubmit();
  const { phase, busy: uploading, uploadChecked } = useUpload(setNotice);
  const tooLarge = useTooLarge();
  const failure = useFailure();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!on) return showError(t('interviews.dateNeeded'), ids.on);
    if (!interviewer.trim()) return showError(t('interviews.interviewerNeeded'), ids.interviewer);
    if (!remote && !place.trim()) return showError(t('interviews.placeNeeded'), ids.place);
    const languageList = parseLanguages(langs);
    if (!languageList) return showError(t('witnesses.languagesInvalid'), ids.languages);
    const recordings = Array.from(recordingsRef.current?.files ?? []);
    const transcript = transcriptRef.current?.files?.[0] ?? null;
    for (const f of [...recordings, ...(transcript ? [transcript] : [])]) {
      const large = tooLarge(f);
      if (large) return showError(large);
    }
    await run(
      async () => {
        // The files first, into the witness's own key domain; then the interview names them.
        const recorded: string[] = [];
        for (const f of recordings) recorded.push((await uploadChecked(f, code, sensitivity)).id);
        const transcriptId = transcript ? (await uploadChecked(transcript, code, sensitivity)).id : undefined;
        const iv = await api.recordInterview(code, {
          on,
          place: remote ? '' : place.trim(),
          remote,
          interviewer: interviewer.trim(),
          languages: languageList,
          recordings: recorded,
          ...(transcriptId ? { transcript: transcriptId } : {}),
        });
        if (recordingsRef.current) recordingsRef.current.value = '';
        if (transcriptRef.current) transcriptRef.current.value = '';
        await onRecorded();
        setNotice({ kind: 'success', text: t('interviews.recorded', { on: iv.on }) });
      },
      (err) => showError(failure(err)),
    );
  };

  const working = busy || uploading;
  return (
    <section aria-labelledby={`${id}-heading`} className="panel">
      <h3 id={`${id}-heading`}>{t('interviews.recordHeading')}</h3>
      <p className="help">{t('interviews.recordHelp')}</p>
      <form onSubmit={submit} className="form-grid" noValidate>
        <Field id={ids.on} label={t('interview.on')} type="date" required value={on} onChange={(e) => setOn(e.target.value)} />
        <Field
          id={ids.interviewer}
          label={t('interview.interviewer')}
          type="text"
          required
          autoComplete="off"
          value={interviewer}
          onChange={(e) => setInterviewer(e.target.value)}
        />
        <Field
          id={ids.place}
          label={t('interview.place')}
          help={t('interviews.placeHelp')}
          type="text"
          autoComplete="off"
          disabled={remote}
          value={place}
          onChange={(e) => setPlace(e.target.value)}
        />
        <div className="field checkbox-field">
          <input id={ids.remote} type="checkbox" checked={remote} onChange={(e) => setRemote(e.target.checked)} />
          <label htmlFor={ids.remote}>{t('interview.remote')}</label>
        </div>
        <Field
          id={ids.languages}
          label={t('witness.languages')}
          help={t('witnesses.languagesHelp')}
          type="text"
          autoComplete="off"
          value={langs}
          onChange={(e) => setLangs(e.target.value)}
        />
        <SensitivityField id={ids.sensitivity} value={sensitivity} onChange={setSensitivity} />
        <Field
          id={ids.recordings}
          ref={recordingsRef}
          label={t('interviews.recordings')}
          help={t('interviews.recordingsHelp')}
          type="file"
          multiple
          accept="audio/*,video/*"
          disabled={working}
        />
        <Field
          id={ids.transcript}
          ref={transcriptRef}
          label={t('interviews.transcriptFile')}
          help={t('interviews.transcriptHelp')}
          type="file"
          disabled={working}
        />
        <SubmitActions busy={working}>{working ? t('app.loading') : t('interviews.record')}</SubmitActions>
        <UploadProgress phase={phase} id={`${id}-progress`} />
        <LiveNotice notice={notice} className="wide-fieldset" />
      </form>
    </section>
  );
}

// --- Documents -------------------------------------------------------------------------------

function DocumentsSection({
  code,
  list,
  interviews,
  canRecord,
}: {
  code: string;
  list: Loaded<{ documents: WitnessDocument[]; withheld: number }>;
  interviews: Interview[];
  canRecord: boolean;
}) {
  const { t } = useI18n();
  const documents = list.data?.documents;
  return (
    <section aria-labelledby="documents-heading">
      <h2 id="documents-heading">{t('documents.heading')}</h2>
      <Listed error={list.error} items={documents} empty={t('documents.none')}>
        {(items) => (
          <DataTable
            className="documents-table"
            caption="documents.caption"
            columns={['document.kind', 'document.date', 'document.language', 'document.description', 'objects.sensitivity']}
          >
            {items.map((d) => (
              <tr key={d.object_id} data-document={d.object_id}>
                <th scope="row">
                  <a href={documentHref(d.object_id)}>{t(`document.kind.${d.kind}`)}</a>
                </th>
                <td>{d.date || '—'}</td>
                <td>{d.language ? languageName(t, d.language) : '—'}</td>
                <td className="conditions">{d.description || '—'}</td>
                <td>{t(`sensitivity.${d.sensitivity}`)}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </Listed>
      <Withheld n={list.data?.withheld ?? 0} />
      {canRecord ? <AddDocumentForm code={code} interviews={interviews} onAdded={list.reload} /> : null}
    </section>
  );
}

function AddDocumentForm({ code, interviews, onAdded }: { code: string; interviews: Interview[]; onAdded: () => Promise<void> }) {
  const { t } = useI18n();
  const id = useId();
  const ids = {
    file: `${id}-file`,
    kind: `${id}-kind`,
    date: `${id}-date`,
    language: `${id}-language`,
    description: `${id}-description`,
    interview: `${id}-interview`,
    sensitivity: `${id}-sensitivity`,
  };
  const [kind, setKind] = useState<DocumentKind | ''>('');
  const [date, setDate] = useState('');
  const [language, setLanguage] = useState('');
  const [description, setDescription] = useState('');
  const [interview, setInterview] = useState('');
  const [sensitivity, setSensitivity] = useState<Sensitivity>('normal');
  const fileRef = useRef<HTMLInputElement>(null);
  const { busy, notice, setNotice, showError, run } = useSubmit();
  const { phase, busy: uploading, uploadChecked } = useUpload(setNotice);
  const tooLarge = useTooLarge();
  const failure = useFailure();

  // Medical records are health material unless someone decides otherwise.
  const chooseKind = (k: DocumentKind | '') => {
    setKind(k);
    if (k === 'medical' && sensitivity === 'normal') setSensitivity('health');
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const file = fileRef.current?.files?.[0];
    if (!file) return showError(t('objects.chooseFile'), ids.file);
    const large = tooLarge(file);
    if (large) return showError(large, ids.file);
    if (!kind) return showError(t('documents.kindNeeded'), ids.kind);
    const lang = language.trim().toLowerCase();
    if (lang && !/^[a-z]{2,3}$/.test(lang)) return showError(t('witnesses.languagesInvalid'), ids.language);
    await run(
      async () => {
        const stored = await uploadChecked(file, code, sensitivity);
        await api.addDocument(code, {
          object_id: stored.id,
          kind,
          date,
          language: lang,
          description: description.trim(),
          interview_id: interview,
        });
        if (fileRef.current) fileRef.current.value = '';
        setDescription('');
        await onAdded();
        setNotice({ kind: 'success', text: t('documents.added', { name: file.name }) });
      },
      (err) => showError(failure(err)),
    );
  };

  const working = busy || uploading;
  return (
    <section aria-labelledby={`${id}-heading`} className="panel">
      <h3 id={`${id}-heading`}>{t('documents.addHeading')}</h3>
      <form onSubmit={submit} className="form-grid" noValidate>
        <Field id={ids.file} ref={fileRef} label={t('objects.file')} help={t('objects.fileHelp')} type="file" disabled={working} />
        <SelectField
          id={ids.kind}
          label={t('document.kind')}
          options={DOCUMENT_KINDS}
          optionLabel={(k) => t(`document.kind.${k}`)}
          emptyOption={t('documents.chooseKind')}
          required
          value={kind}
          onChange={(e) => chooseKind(e.target.value as DocumentKind | '')}
        />
        <Field id={ids.date} label={t('document.date')} help={t('documents.dateHelp')} type="date" value={date} onChange={(e) => setDate(e.target.value)} />
        <Field
          id={ids.language}
          label={t('document.language')}
          help={t('documents.languageHelp')}
          type="text"
          autoComplete="off"
          maxLength={3}
          value={language}
          onChange={(e) => setLanguage(e.target.value)}
        />
        <SensitivityField id={ids.sensitivity} value={sensitivity} onChange={setSensitivity} />
        {interviews.length > 0 ? (
          <SelectField
            id={ids.interview}
            label={t('document.interview')}
            options={interviews.map((iv) => iv.id)}
            optionLabel={(ivId) => interviews.find((iv) => iv.id === ivId)?.on ?? ivId}
            emptyOption={t('documents.noInterview')}
            value={interview}
            onChange={(e) => setInterview(e.target.value)}
          />
        ) : null}
        <TextAreaField
          id={ids.description}
          label={t('document.description')}
          help={t('documents.descriptionHelp')}
          rows={2}
          maxLength={10000}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
        <SubmitActions busy={working}>{working ? t('app.loading') : t('documents.add')}</SubmitActions>
        <UploadProgress phase={phase} id={`${id}-progress`} />
        <LiveNotice notice={notice} className="wide-fieldset" />
      </form>
    </section>
  );
}

// --- Contacts --------------------------------------------------------------------------------

function ContactsSection({ code }: { code: string }) {
  const { t } = useI18n();
  const list = useLoad(useCallback(() => api.listContacts(code), [code]));
  const contacts = list.data?.contacts;
  return (
    <section aria-labelledby="contacts-heading">
      <h2 id="contacts-heading">{t('contacts.heading')}</h2>
      <Listed error={list.error} items={contacts} empty={t('contacts.none')}>
        {(items) => (
          <DataTable
            className="contacts-table"
            caption="contacts.caption"
            columns={['contacts.on', 'contacts.by', 'contacts.channel', 'contacts.kind', 'contacts.purpose']}
          >
            {items.map((c, i) => (
              <tr key={i}>
                <th scope="row">{c.on}</th>
                <td>{c.by}</td>
                <td>{t(`channel.${c.channel}`)}</td>
                <td>{c.planned ? t('contacts.planned') : t('contacts.made')}</td>
                <td className="conditions">{c.purpose || '—'}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </Listed>
      <ContactForm code={code} onAdded={list.reload} />
    </section>
  );
}

/**
 * A contact to record. The warnings for its date (not to be contacted, contacted recently, no
 * consent to re-contact) are fetched as the date is chosen and shown before it can be recorded;
 * with warnings, the person confirms having read them.
 */
function ContactForm({ code, onAdded }: { code: string; onAdded: () => Promise<void> }) {
  const { t } = useI18n();
  const [on, setOn] = useState(today);
  const [by, setBy] = useState('');
  const [channel, setChannel] = useState<ContactChannel>('phone');
  const [planned, setPlanned] = useState(true);
  const [purpose, setPurpose] = useState('');
  const [warnings, setWarnings] = useState<string[] | null>(null);
  const [read, setRead] = useState(false);
  const { busy, notice, setNotice, showError, run } = useSubmit();

  useEffect(() => {
    let cancelled = false;
    setWarnings(null);
    setRead(false);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(on)) return;
    api.checkContact(code, on).then(
      (r) => !cancelled && setWarnings(r.warnings),
      (e) => !cancelled && setNotice({ kind: 'error', text: describeError(e, t) }),
    );
    return () => {
      cancelled = true;
    };
  }, [code, on, t, setNotice]);

  const mustConfirm = (warnings?.length ?? 0) > 0;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!on) return showError(t('contacts.dateNeeded'), 'contact-on');
    if (!by.trim()) return showError(t('contacts.byNeeded'), 'contact-by');
    if (warnings === null) return showError(t('contacts.checking'));
    if (mustConfirm && !read) return showError(t('contacts.confirmNeeded'), 'contact-read');
    await run(async () => {
      const r = await api.addContact(code, { on, by: by.trim(), channel, planned, purpose: purpose.trim() });
      setPurpose('');
      setRead(false);
      await onAdded();
      setNotice({ kind: 'success', text: t(planned ? 'contacts.addedPlanned' : 'contacts.added', { on: r.contact.on }) });
    });
  };

  return (
    <section aria-labelledby="contact-form-heading" className="panel">
      <h3 id="contact-form-heading">{t('contacts.addHeading')}</h3>
      <form onSubmit={submit} className="form-grid" noValidate>
        <Field id="contact-on" label={t('contacts.on')} type="date" required value={on} onChange={(e) => setOn(e.target.value)} />
        <Field
          id="contact-by"
          label={t('contacts.by')}
          help={t('contacts.byHelp')}
          type="text"
          required
          autoComplete="off"
          value={by}
          onChange={(e) => setBy(e.target.value)}
        />
        <SelectField
          id="contact-channel"
          label={t('contacts.channel')}
          options={CONTACT_CHANNELS}
          optionLabel={(c) => t(`channel.${c}`)}
          value={channel}
          onChange={(e) => setChannel(e.target.value as ContactChannel)}
        />
        <div className="field checkbox-field">
          <input id="contact-planned" type="checkbox" checked={planned} onChange={(e) => setPlanned(e.target.checked)} />
          <label htmlFor="contact-planned">{t('contacts.isPlanned')}</label>
        </div>
        <TextAreaField
          id="contact-purpose"
          label={t('contacts.purpose')}
          help={t('contacts.purposeHelp')}
          rows={2}
          maxLength={10000}
          value={purpose}
          onChange={(e) => setPurpose(e.target.value)}
        />
        <div className="wide-fieldset" role="status" aria-live="polite">
          {warnings === null ? (
            <p className="help">{t('contacts.checking')}</p>
          ) : warnings.length === 0 ? (
            <p className="notice notice-success" data-testid="contact-warnings" data-warnings="0">
              {t('contacts.noWarnings', { on })}
            </p>
          ) : (
            <div className="notice notice-error contact-warnings" data-testid="contact-warnings" data-warnings={warnings.length}>
              <p>
                <strong>{t('contacts.warningsHeading', { on })}</strong>
              </p>
              <ul>
                {warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            </div>
          )}
        </div>
        {mustConfirm ? (
          <div className="field checkbox-field wide-fieldset">
            <input id="contact-read" type="checkbox" checked={read} onChange={(e) => setRead(e.target.checked)} />
            <label htmlFor="contact-read">{t('contacts.readWarnings')}</label>
          </div>
        ) : null}
        <SubmitActions busy={busy}>{t('contacts.add')}</SubmitActions>
        <LiveNotice notice={notice} className="wide-fieldset" />
      </form>
    </section>
  );
}
