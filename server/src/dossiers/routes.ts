import type { Request, Router } from 'express';
import type { DossierSnapshot } from '@motcua/engine';
import type { Api } from '../http/api';
import { HttpError, forbidden } from '../http/errors';
import { actorOf, requireRoleAt } from '../auth/middleware';
import type { Deps } from '../deps';
import { runOnce } from './idempotency';
import { act, intake, planAction, publicState, standsAlone } from './service';
import { planCommit, runCommit, type DossierRow } from './store';
import { dossierView, history, inbox, maySee, visibleDossier } from './views';
import { dossierCache } from './cache';
import { verifyChain } from './chain';
import { ActionBody, BulkBody, IdParams, InboxQuery, IntakeBody } from './schemas';
import { iso } from '../catalog/service';
import { actionInputs, actionLabel, explainConflict } from './conflict';

const idemKey = (req: Request): string | undefined => {
  const k = req.headers['idempotency-key'];
  return typeof k === 'string' ? k : undefined;
};

/** Dossier lifecycle: intake, inbox, detail, actions (idempotent, optimistic), history. The public lookup: ./publicRoutes.ts. */
export function dossierRoutes(api: Api, _router: Router, deps: Deps): void {
  api.add({
    method: 'post', path: '/api/dossiers', summary: 'Receive a dossier at a desk (tiếp nhận)', tags: ['dossiers'], access: ['desk'],
    body: IntakeBody, status: 201, errors: { 404: 'Unknown procedure or unit', 409: 'Conflict' },
  }, async ({ req, res, body, user }) => {
    if (!user) throw forbidden({ vi: 'Cần đăng nhập', en: 'Sign-in required' });
    await requireRoleAt(deps, user, ['desk'], body.receivingUnit);
    const { accept, ...input } = body;
    const out = await runOnce(deps, user.id, idemKey(req), { path: '/api/dossiers', body }, async (tx, d) => {
      const actor = actorOf(user);
      let r = await intake(d, tx, actor, input);
      const notices = [...r.notices];
      if (accept) {
        const s = r.row.snapshot as DossierSnapshot;
        const step = s.active[0]?.step;
        if (!step) throw new HttpError(422, 'NOTHING_TO_ACCEPT', { vi: 'Hồ sơ không ở bước tiếp nhận', en: 'The dossier is not at an intake step' });
        r = await act(d, tx, actor, r.row.id, { step, action: 'accept' });
        notices.push(...r.notices);
      }
      return { status: 201, body: await dossierView(d, user, r.row), notices };
    });
    if (out.replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.status(out.status).json(out.body);
  });

  api.add({
    method: 'get', path: '/api/dossiers', summary: 'Inbox: mine, my units, due soon, overdue, waiting for the citizen, closed', tags: ['dossiers'],
    access: ['desk', 'specialist', 'leader', 'admin'], query: InboxQuery,
  }, async ({ query, user }) => inbox(deps, user!, query));

  api.add({
    method: 'get', path: '/api/dossiers/:id', summary: 'A dossier with the actions you may take now', tags: ['dossiers'],
    access: 'user', params: IdParams, errors: { 404: 'No such dossier' },
  }, async ({ params, user }) => dossierView(deps, user!, await visibleDossier(deps, user!, params.id)));

  api.add({
    method: 'post', path: '/api/dossiers/:id/actions', summary: 'Take an action (Idempotency-Key honoured; expectedVersion checked)', tags: ['dossiers'],
    access: 'user', params: IdParams, body: ActionBody, errors: { 403: 'Not your role or unit', 404: 'No such dossier', 409: 'Version conflict or closed dossier' },
  }, async ({ req, res, params, body, user }) => {
    const actor = actorOf(user!);
    const action = { step: body.step, action: body.action, inputs: body.inputs ?? {}, ...(body.expectedVersion !== undefined ? { expectedVersion: body.expectedVersion } : {}) };
    const cache = dossierCache(deps.database);
    let wrote = false;
    const attempt = (loaded: DossierRow) => runOnce(deps, user!.id, idemKey(req), { path: req.path, body }, async (tx, d) => {
      cache.forget(params.id);
      const r = await act(d, tx, actor, params.id, action, loaded);
      return { status: 200, body: await dossierView(d, user!, r.row), notices: r.notices };
    }, async () => {
      // Most actions change this dossier alone: one statement, no transaction around it.
      const { proc, ctx, transition } = await planAction(deps, actor, loaded, action);
      if (!standsAlone(loaded, transition)) return null;
      const plan = planCommit({ proc, before: loaded, transition, field: proc.definition.catalog.field, calendar: ctx.calendar });
      return {
        status: 200, body: await dossierView(deps, user!, plan.row), notices: plan.notices,
        write: async (raw, answer) => {
          await runCommit(raw, plan, answer);
          wrote = true;
          cache.remember(plan.stored());
        },
      };
    });
    // The row this process last wrote saves reading it again, but it is a guess: the write
    // checks its version, and any refusal on it (stale version, an action no longer open,
    // another unit's dossier by now) is tried again once on the row read afresh.
    const remembered = cache.get(params.id);
    let out: Awaited<ReturnType<typeof attempt>> | null = null;
    if (remembered && (await maySee(deps, user!, remembered))) {
      try {
        out = await attempt(remembered);
      } catch (e) {
        if (!(e instanceof HttpError) || wrote) throw e;
        cache.forget(params.id);
      }
    }
    if (!out) {
      const fresh = await visibleDossier(deps, user!, params.id);
      try {
        out = await attempt(fresh);
      } catch (e) {
        throw await explainConflict(deps, fresh, e);
      }
    }
    if (out.replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.status(out.status).json(out.body);
  });

  api.add({
    method: 'post', path: '/api/dossiers/bulk-actions', summary: 'The same kind of action on many dossiers (e.g. a leader approving a batch); each item succeeds or fails on its own', tags: ['dossiers'],
    access: 'user', body: BulkBody,
  }, async ({ body, user }) => {
    const results = [];
    for (const item of body.items) {
      try {
        await visibleDossier(deps, user!, item.id);
        const out = await runOnce(deps, user!.id, undefined, item, async (tx, d) => {
          const r = await act(d, tx, actorOf(user!), item.id, { step: item.step, action: item.action, inputs: item.inputs ?? {}, ...(item.expectedVersion !== undefined ? { expectedVersion: item.expectedVersion } : {}) });
          return { status: 200, body: publicState(r.row), notices: r.notices };
        });
        results.push({ id: item.id, ok: true, dossier: out.body });
      } catch (e) {
        if (!(e instanceof HttpError)) throw e;
        results.push({ id: item.id, ok: false, error: { code: e.code, message: e.messages } });
      }
    }
    return { results, succeeded: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).length };
  });

  api.add({
    method: 'get', path: '/api/dossiers/:id/events', summary: 'History (append-only, hash-chained)', tags: ['dossiers'], access: 'user', params: IdParams,
  }, async ({ params, user }) => {
    const row = await visibleDossier(deps, user!, params.id);
    const proc = await deps.directory.procedure(row.procedureId, row.procedureVersion);
    return (await history(deps, params.id)).map((e) => ({
      seq: e.seq, type: e.type, at: iso(e.at), actor: { id: e.actorId, name: e.actorName },
      label: actionLabel(proc, e.payload as { step?: string; action?: string }), payload: e.payload, hash: e.hash,
      // The history reads its inputs with the action's form: titles, order, choice labels.
      inputForm: actionInputs(proc, e.payload as { step?: string; action?: string }),
    }));
  });

  api.add({
    method: 'get', path: '/api/dossiers/:id/verify', summary: 'Verify the hash chain of the history', tags: ['dossiers'], access: 'user', params: IdParams,
  }, async ({ params, user }) => {
    const row = await visibleDossier(deps, user!, params.id);
    const result = verifyChain(await history(deps, params.id));
    return { ...result, matchesHead: result.ok ? result.head === row.lastHash : false };
  });
}
