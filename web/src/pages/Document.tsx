// A document a witness handed over: shown as the browser can (a PDF in its own viewer, an image)
// with the text extracted from it (or read by OCR) and its translations beside it.

import { useCallback } from 'react';

import * as api from '../api';
import { CODING_READERS, hasAnyRole, type DocumentPage as DocumentData, type User } from '../api';
import { Fact, LoadError, Loading, PageHeading, useLoad } from '../components';
import { useI18n } from '../i18n';
import { interviewHref, witnessHref } from '../router';
import { ObjectViewer, TextsBeside, languageName } from './Texts';

export function DocumentPage({ id, user }: { id: string; user: User }) {
  const { t } = useI18n();
  const { data, error, reload } = useLoad(useCallback(() => api.getDocument(id), [id]));

  const d = data?.document;
  return (
    <>
      <PageHeading>
        {d ? t('document.title', { kind: t(`document.kind.${d.kind}`), code: d.code }) : t('document.titleLoading')}
      </PageHeading>
      {d ? (
        <p>
          <a href={witnessHref(d.code)}>{t('interview.back', { code: d.code })}</a>
        </p>
      ) : null}
      {error ? <LoadError error={error} /> : data === null ? <Loading /> : <DocumentBody data={data} onChanged={reload} codable={hasAnyRole(user, CODING_READERS)} />}
    </>
  );
}

function DocumentBody({ data, onChanged, codable }: { data: DocumentData; onChanged: () => Promise<void>; codable: boolean }) {
  const { t } = useI18n();
  const d = data.document;
  return (
    <>
      <section aria-labelledby="document-facts">
        <h2 id="document-facts">{t('document.facts')}</h2>
        <dl className="facts">
          <Fact term={t('document.kind')}>{t(`document.kind.${d.kind}`)}</Fact>
          <Fact term={t('document.date')}>{d.date || '—'}</Fact>
          <Fact term={t('document.language')}>{languageName(t, d.language)}</Fact>
          <Fact term={t('document.description')} testId="document-description">
            {d.description || '—'}
          </Fact>
          <Fact term={t('objects.sensitivity')}>{t(`sensitivity.${d.sensitivity}`)}</Fact>
          {d.interview_id ? (
            <Fact term={t('document.interview')}>
              <a href={interviewHref(d.interview_id)}>{t('document.openInterview')}</a>
            </Fact>
          ) : null}
        </dl>
      </section>
      <section aria-labelledby="document-view">
        <h2 id="document-view">{t('document.view')}</h2>
        <TextsBeside
          source={data.object}
          texts={data.texts}
          sourceLanguage={d.language}
          canTranslate={data.permissions.translate}
          codable={codable}
          viewer={<ObjectViewer object={data.object} label={t('document.viewerLabel', { code: d.code })} codable={codable} />}
          onChanged={onChanged}
        />
      </section>
    </>
  );
}
