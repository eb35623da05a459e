// An interview: its recordings in a player, its transcript beside the machine and human
// translations, a person's translation added, and the status moved forward.

import { useCallback, useState, type FormEvent } from 'react';

import * as api from '../api';
import { CODING_READERS, INTERVIEW_STATUSES, hasAnyRole, type InterviewPage as InterviewData, type InterviewStatus, type User } from '../api';
import { Fact, LiveNotice, LoadError, Loading, PageHeading, SelectField, SubmitActions, useLoad, useSubmit } from '../components';
import { useI18n } from '../i18n';
import { witnessHref } from '../router';
import { ObjectViewer, TextsBeside, languageName } from './Texts';
import { listText } from './Witnesses';

export function InterviewPage({ id, user }: { id: string; user: User }) {
  const { t } = useI18n();
  const { data, error, reload } = useLoad(useCallback(() => api.getInterview(id), [id]));

  const iv = data?.interview;
  return (
    <>
      <PageHeading>{iv ? t('interview.title', { code: iv.code, on: iv.on }) : t('interview.titleLoading')}</PageHeading>
      {iv ? (
        <p>
          <a href={witnessHref(iv.code)}>{t('interview.back', { code: iv.code })}</a>
        </p>
      ) : null}
      {error ? <LoadError error={error} /> : data === null ? <Loading /> : <InterviewBody data={data} onChanged={reload} codable={hasAnyRole(user, CODING_READERS)} />}
    </>
  );
}

function InterviewBody({ data, onChanged, codable }: { data: InterviewData; onChanged: () => Promise<void>; codable: boolean }) {
  const { t } = useI18n();
  const iv = data.interview;
  const recordings = data.objects.filter((o) => o.role === 'recording');
  const transcripts = data.objects.filter((o) => o.role !== 'recording');
  return (
    <>
      <section aria-labelledby="interview-facts">
        <h2 id="interview-facts">{t('interview.facts')}</h2>
        <dl className="facts">
          <Fact term={t('interview.status')} testId="interview-status">
            {t(`interview.status.${iv.status}`)}
          </Fact>
          <Fact term={t('interview.on')}>{iv.on}</Fact>
          <Fact term={t('interview.place')}>{iv.remote ? t('interview.remote') : iv.place}</Fact>
          <Fact term={t('interview.interviewer')}>{iv.interviewer}</Fact>
          <Fact term={t('witness.languages')}>{listText(iv.languages, (l) => languageName(t, l))}</Fact>
        </dl>
        {iv.withheld > 0 ? <p className="notice notice-info">{t('records.withheld', { n: iv.withheld })}</p> : null}
      </section>

      {data.permissions.update ? <AdvanceStatus key={iv.status} id={iv.id} status={iv.status} onChanged={onChanged} /> : null}

      <section aria-labelledby="recordings-heading">
        <h2 id="recordings-heading">{t('interview.recordings')}</h2>
        {recordings.length === 0 ? (
          <p>{t('interview.noRecordings')}</p>
        ) : (
          recordings.map((o, i) => (
            <ObjectViewer key={o.id} object={o} label={t('interview.recordingLabel', { n: i + 1, code: iv.code })} codable={codable} />
          ))
        )}
      </section>

      <section aria-labelledby="transcript-heading">
        <h2 id="transcript-heading">{t('interview.transcript')}</h2>
        {transcripts.length === 0 ? (
          <p>{t('interview.noTranscript')}</p>
        ) : (
          transcripts.map((o) => (
            <section key={o.id} aria-label={t(o.role === 'transcript' ? 'interview.transcript' : 'interview.translationFile')}>
              {o.role !== 'transcript' ? <h3>{t('interview.translationFile')}</h3> : null}
              <TextsBeside
                source={o}
                texts={o.texts}
                sourceLanguage={iv.languages[0] ?? ''}
                canTranslate={data.permissions.translate}
                codable={codable}
                onChanged={onChanged}
              />
            </section>
          ))
        )}
      </section>
    </>
  );
}

/** The status moves forward only: the choices are the statuses after the present one. */
function AdvanceStatus({ id, status, onChanged }: { id: string; status: InterviewStatus; onChanged: () => Promise<void> }) {
  const { t } = useI18n();
  const later = INTERVIEW_STATUSES.slice(INTERVIEW_STATUSES.indexOf(status) + 1);
  const [next, setNext] = useState<InterviewStatus | ''>(later[0] ?? '');
  const { busy, notice, setNotice, run } = useSubmit();

  if (later.length === 0) return null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!next) return;
    await run(async () => {
      const updated = await api.advanceInterview(id, next);
      await onChanged();
      setNotice({ kind: 'success', text: t('interview.advanced', { status: t(`interview.status.${updated.status}`) }) });
    });
  };
  return (
    <section aria-labelledby="advance-heading" className="panel">
      <h2 id="advance-heading">{t('interview.advanceHeading')}</h2>
      <p className="help">{t('interview.advanceHelp')}</p>
      <form onSubmit={submit} className="filter-form">
        <SelectField
          id="interview-next-status"
          label={t('interview.nextStatus')}
          options={later}
          optionLabel={(s) => t(`interview.status.${s}`)}
          value={next}
          onChange={(e) => setNext(e.target.value as InterviewStatus)}
        />
        <SubmitActions busy={busy}>{t('interview.advance')}</SubmitActions>
      </form>
      <LiveNotice notice={notice} />
    </section>
  );
}
