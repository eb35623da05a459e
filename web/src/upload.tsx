// Uploads with a progress bar, shared by the objects page and the witness's forms: each file is
// hashed in the browser first (where Web Crypto is available), sent with its progress shown in
// steps a screen reader can follow, and the hub's SHA-256 compared with the browser's.

import { useState } from 'react';

import * as api from './api';
import { MAX_UPLOAD_BYTES, type Sensitivity, type UploadResult } from './api';
import { type NoticeState } from './components';
import { formatBytes } from './format';
import { useI18n } from './i18n';

export type UploadPhase =
  | { phase: 'idle' }
  | { phase: 'hashing' }
  | { phase: 'sending'; fraction: number }
  | { phase: 'processing' }
  | { phase: 'done' };

export interface Uploaded {
  result: UploadResult;
  /** The SHA-256 the browser computed, or null where it could not. */
  local: string | null;
}

/** The hub recorded another SHA-256 than the browser computed: the copy must not be relied on. */
export class HashMismatch extends Error {
  constructor(
    readonly server: string,
    readonly local: string,
  ) {
    super('SHA-256 mismatch');
    this.name = 'HashMismatch';
  }
}

/**
 * One upload at a time with its phase; `notice` receives the progress messages. The caller
 * decides what a mismatch means (upload() itself only reports both hashes).
 */
export function useUpload(notice: (n: NoticeState) => void) {
  const { t } = useI18n();
  const [phase, setPhase] = useState<UploadPhase>({ phase: 'idle' });
  const busy = phase.phase === 'hashing' || phase.phase === 'sending' || phase.phase === 'processing';

  const upload = async (
    file: File,
    domain: string,
    organisation: string | null,
    sensitivity: Sensitivity,
  ): Promise<Uploaded> => {
    setPhase({ phase: 'hashing' });
    notice({ kind: 'info', text: t('objects.hashing') });
    let local: string | null = null;
    try {
      local = await api.sha256Hex(file);
    } catch {
      local = null;
    }
    setPhase({ phase: 'sending', fraction: 0 });
    notice({ kind: 'info', text: t('objects.uploading', { pct: 0 }) });
    let lastPct = -1;
    const handle = api.uploadObject(file, domain, organisation, sensitivity, (fraction) => {
      if (fraction >= 1) {
        setPhase({ phase: 'processing' });
        notice({ kind: 'info', text: t('objects.processing') });
        return;
      }
      setPhase({ phase: 'sending', fraction });
      // Announced in steps of 10 %, not at every progress event.
      const pct = Math.floor(fraction * 10) * 10;
      if (pct !== lastPct) {
        lastPct = pct;
        notice({ kind: 'info', text: t('objects.uploading', { pct }) });
      }
    });
    try {
      const result = await handle.promise;
      setPhase({ phase: 'done' });
      return { result, local };
    } catch (e) {
      setPhase({ phase: 'idle' });
      throw e;
    }
  };

  /** Like upload(), but a mismatch of the hashes is an error (HashMismatch). */
  const uploadChecked = async (file: File, domain: string, sensitivity: Sensitivity): Promise<UploadResult> => {
    const { result, local } = await upload(file, domain, null, sensitivity);
    if (local !== null && local !== result.sha256) throw new HashMismatch(result.sha256, local);
    return result;
  };

  return { phase, setPhase, busy, upload, uploadChecked };
}

/** Why `file` cannot be uploaded through the web app (larger than the server takes), or null. */
export function useTooLarge() {
  const { t, lang } = useI18n();
  return (file: File): string | null =>
    file.size > MAX_UPLOAD_BYTES ? t('objects.tooLarge', { name: file.name, size: formatBytes(file.size, lang, t) }) : null;
}

/** The progress bar of an upload and its percentage; nothing while idle. */
export function UploadProgress({ phase, id = 'upload-progress' }: { phase: UploadPhase; id?: string }) {
  const { t } = useI18n();
  if (phase.phase === 'idle') return null;
  const pct =
    phase.phase === 'sending' ? Math.round(phase.fraction * 100) : phase.phase === 'processing' || phase.phase === 'done' ? 100 : 0;
  return (
    <div className="progress-row">
      <label htmlFor={id}>{t('objects.progress')}</label>
      {phase.phase === 'hashing' ? <progress id={id} /> : <progress id={id} max={100} value={pct} />}
      <span className="progress-pct" data-testid="upload-pct">
        {phase.phase === 'hashing' ? '' : `${pct}%`}
      </span>
    </div>
  );
}
