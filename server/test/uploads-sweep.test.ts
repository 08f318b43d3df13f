/**
 * The orphan sweep: what a process killed in the middle of uploads leaves in the upload
 * folder — a staged file whose row was committed, a staged file without a row — and blobs
 * in place without a row, settled by the clock (grace period) and by process liveness.
 */
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, login, publishFixture, seedPeople, type Harness, ANPHU_STAFF } from './support/harness';
import { createBlobStore } from '../src/blobs';
import { INSTANCE, partName } from '../src/blobs/local';
import { startOrphanSweep } from '../src/blobs/sweep';

const ANPHU = '000.01.31.H99';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
let h: Harness;
let uploadDir: string;
let desk = '';

/** A pid no process has now (the sweep takes its folder for a dead process's). */
function deadPid(): number {
  for (let pid = 4_000_000; ; pid--) {
    try {
      process.kill(pid, 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ESRCH') return pid;
    }
  }
}

function files(dir = uploadDir): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    out = statSync(p).isDirectory() ? [...out, ...files(p)] : [...out, p.slice(uploadDir.length + 1)];
  }
  return out.sort();
}

beforeAll(async () => {
  uploadDir = mkdtempSync(join(tmpdir(), 'motcua-sweep-'));
  h = await createHarness({ now: '2026-03-02T01:15:00.000Z', config: { uploadDir, orphanGraceMs: 60 * 60_000 } });
  await seedPeople(h, ANPHU_STAFF);
  await publishFixture(h, 'xac-nhan-tinh-trang-hon-nhan');
  desk = await login(h, 'lan');
});
afterAll(async () => {
  await h.close();
  rmSync(uploadDir, { recursive: true, force: true });
});

describe('orphan sweep', () => {
  it('should settle a dead process\'s staged files and remove blobs without a record after the grace period', async () => {
    // given a document uploaded whole (row and blob)
    const d = await h.http.post('/api/dossiers').set('Authorization', desk).send({
      procedureId: 'xac-nhan-tinh-trang-hon-nhan', channel: 'direct', receivingUnit: ANPHU, accept: true,
      applicant: { id: '079196004040', name: 'Kiều Thị Mỹ', phone: '0912345678' },
      data: { personName: 'Kiều Thị Mỹ', dateOfBirth: '1996-04-18', maritalStatus: 'never-married', purpose: 'marriage' },
    });
    expect(d.status, JSON.stringify(d.body)).toBe(201);
    const up = await h.http.post(`/api/dossiers/${encodeURIComponent(d.body.id)}/documents`).set('Authorization', desk).attach('file', PDF, { filename: 'a.pdf', contentType: 'application/pdf' });
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    const [kept] = files().filter((f) => !f.startsWith('.tmp'));
    expect(kept).toBeDefined();
    const key = kept!;
    // and what a process killed mid-upload leaves: its committed upload still staged, another staged without a row
    const dead = join(uploadDir, '.tmp', `${INSTANCE.split('.')[0]}.${deadPid()}.dead0001`);
    mkdirSync(dead, { recursive: true });
    renameSync(join(uploadDir, key), join(dead, partName(key)));
    writeFileSync(join(dead, partName('zz/no-row')), PDF);
    writeFileSync(join(dead, 'alive'), '1\n');
    // and a live process of another host sharing the folder, staging an upload now
    const other = join(uploadDir, '.tmp', 'otherhost.12.live0001');
    mkdirSync(other, { recursive: true });
    writeFileSync(join(other, 'alive'), '12\n');
    writeFileSync(join(other, partName('yy/in-flight')), PDF);
    // and a blob in place without a row (as an older version left them), written now
    writeFileSync(join(uploadDir, 'stray'), PDF);
    // (file times by the test's clock, which the sweep compares them with)
    for (const f of [join(uploadDir, 'stray'), join(other, 'alive'), join(other, partName('yy/in-flight'))]) utimesSync(f, h.clock.now(), h.clock.now());

    // when the sweep runs
    const job = startOrphanSweep(h.deps, createBlobStore(h.deps.config), { timer: false });
    const first = await job.tick();
    // then the committed upload is in place again, the row-less staged file and the dead folder are gone
    expect(first).toMatchObject({ promoted: 1, removed: 1, folders: 1 });
    const after = files();
    expect(after).toContain(key);
    expect(after.filter((f) => f.includes('dead0001'))).toEqual([]);
    // and what may still be in flight is left alone: the live host's staging, the young stray blob
    expect(after).toContain(`.tmp/otherhost.12.live0001/${partName('yy/in-flight')}`);
    expect(after).toContain('stray');
    // and the document downloads whole
    const got = await h.http.get(`/api/dossiers/${encodeURIComponent(d.body.id)}/documents/${up.body.id}`).set('Authorization', desk);
    expect(got.status).toBe(200);

    // when the grace period has passed by the clock (the other host stopped beating long ago)
    expect(await job.tick()).toBeNull();
    h.clock.advance(h.deps.config.orphanGraceMs + 60_000);
    const second = await job.tick();
    // then nothing without a record is left on disk
    expect(second).toMatchObject({ promoted: 0, removed: 2, folders: 1 });
    expect(files().filter((f) => !f.endsWith('/alive'))).toEqual([key]);
    await job.stop();
  });
});
