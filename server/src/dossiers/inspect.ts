/**
 * An upload's checks on its content (./fileType.ts `inspect`) run by a worker thread, within
 * a time and a heap of their own. Looking for scripts parses a PDF, compressed object streams
 * included, and a crafted file of a few hundred kilobytes can inflate to gigabytes: parsed on
 * the thread that answers requests, a 500 KB upload held it for six seconds and 640 MB, and a
 * 10 MB one could end the server. On the worker such a file is refused once its time is up,
 * while every other request goes on. The bytes of an upload received through the buffer pool
 * (./uploadStorage.ts) are in shared memory and reach the worker without a copy; the parsing
 * is also off the event loop for ordinary papers (about 1 ms each, 2.5 ms for a 2 MB scan).
 */
import { HttpError } from '../http/errors';
import type { Inspection } from './fileType';
import { WORKER_START_MS, WorkerCalls, WorkerGone, WorkerTimeout, inShared, typeScriptWorker } from '../offload';

/** What the worker found, and the bytes' SHA-256 (taken while it reads them: no second hand-off to hash an upload). */
export interface Checked extends Inspection {
  sha256: string;
}

const inspector = new WorkerCalls<{ bytes: Uint8Array; allowed: readonly string[] }, Checked>(
  () => typeScriptWorker(new URL('./inspectWorker.ts', import.meta.url), { maxOldGenerationSizeMb: 256 }),
  { startMs: WORKER_START_MS },
);

/**
 * The upload's type by content, active content (see `inspect`) and SHA-256, within `timeoutMs`.
 * The caller must not change the bytes until it resolves. A file whose check runs out of time
 * is refused (415), as one that cannot be checked; when the worker ended during the check
 * (another file's time ran out, or the worker's heap), the answer is 503: nothing is stored,
 * and the file may be sent again.
 */
export async function inspectUpload(bytes: Buffer, allowed: readonly string[], timeoutMs: number): Promise<Checked> {
  try {
    return await inspector.call({ bytes: inShared(bytes), allowed }, timeoutMs);
  } catch (e) {
    if (e instanceof WorkerTimeout) {
      throw new HttpError(415, 'FILE_UNCHECKABLE', {
        vi: `Không kiểm tra xong tệp trong ${timeoutMs / 1000} giây (tệp quá phức tạp hoặc nén bất thường) nên không được nhận. Hãy in ra PDF hoặc quét lại tài liệu rồi gửi`,
        en: `The file could not be checked within ${timeoutMs / 1000} s (too complex, or unusually compressed) and is refused. Print it to PDF or scan the paper again and send that`,
      }, [{ path: '/file', message: { vi: 'Không kiểm tra được tệp', en: 'The file could not be checked' } }]);
    }
    if (!(e instanceof WorkerGone)) throw e;
    throw new HttpError(503, 'CHECK_UNAVAILABLE', {
      vi: 'Chưa kiểm tra được tệp (bộ kiểm tra vừa khởi động lại). Hãy gửi lại tệp',
      en: 'The file could not be checked (the checker restarted). Send it again',
    });
  }
}

/** Stops the worker (tests). */
export const stopInspector = (): Promise<void> => inspector.stop();
