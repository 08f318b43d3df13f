import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import {
  compileProcedure, createCalendar, VN_DEFAULT_CALENDAR,
  type Calendar, type CalendarConfig, type CompiledProcedure, type ProcedureDefinition, type UnitInfo,
} from '@motcua/engine';
import type { Db } from './db/client';
import { calendars, procedureVersions, units } from './db/schema';
import type { Clock } from './clock';

export type UnitRow = typeof units.$inferSelect;

// Units and calendars change rarely and may be edited by another process: cache briefly.
const TTL_MS = 30_000;

/**
 * Read-mostly reference data, cached: the unit tree, calendars, compiled procedure
 * versions (published versions are immutable, so they are cached for good).
 */
interface Caches {
  short: Map<string, { at: number; value: unknown }>;
  units: { at: number; byCode: Map<string, UnitRow>; children: Map<string, string[]>; infos?: { [code: string]: UnitInfo } } | null;
  calendars: Map<string, { at: number; calendar: Calendar }>;
  compiled: Map<string, CompiledProcedure>;
  /** Drafts compiled, with a digest of the definition compiled: a draft changes, so it is compiled again once it has. */
  drafts: Map<string, { digest: string; compiled: CompiledProcedure }>;
  /** Bumped by `forget` (through any instance): a load started before it does not store what it read. */
  generation: { n: number };
}

/** Compiled drafts kept at most (the oldest kept goes first). */
const MAX_DRAFTS_KEPT = 50;

export class Directory {
  /**
   * Loads under way, by key: requests that find an entry expired while another is loading it
   * wait for that load instead of each running their own (fifty officers' requests arriving as
   * a signed-in user's entry expires ran fifty loads of the user, grants and delegations).
   * Per instance, never shared with a transaction's directory (`using`): a query outside a
   * transaction waits for it on PGlite's one connection, so the transaction must never wait for
   * that query in turn.
   */
  private readonly loading = new Map<string, Promise<unknown>>();
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly caches: Caches = { short: new Map(), units: null, calendars: new Map(), compiled: new Map(), drafts: new Map(), generation: { n: 0 } },
  ) {}

  /**
   * The same caches read through another executor: inside a transaction every query must
   * go through it (PGlite has one connection; a query beside the transaction would wait forever).
   */
  using(db: Db): Directory {
    return new Directory(db, this.clock, this.caches);
  }

  /**
   * A value kept for a few seconds (signed-in users, their delegations): every request
   * needs them, and a change reaches every process within `ttlMs`.
   */
  async cached<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<T> {
    const now = this.clock.now().getTime();
    const hit = this.caches.short.get(key);
    if (hit && now - hit.at < ttlMs && now >= hit.at) return hit.value as T;
    const pending = this.loading.get(key);
    if (pending) return pending as Promise<T>;
    const generation = this.caches.generation.n;
    const loaded = (async () => {
      try {
        const value = await load();
        if (generation === this.caches.generation.n) {
          if (this.caches.short.size > 10_000) this.caches.short.clear();
          this.caches.short.set(key, { at: now, value });
        }
        return value;
      } finally {
        this.loading.delete(key);
      }
    })();
    this.loading.set(key, loaded);
    return loaded;
  }

  /** Forgets short-lived entries whose key starts with `prefix` (after an edit in this process). */
  forget(prefix: string): void {
    this.caches.generation.n += 1;
    for (const k of this.caches.short.keys()) if (k.startsWith(prefix)) this.caches.short.delete(k);
    for (const k of this.loading.keys()) if (k.startsWith(prefix)) this.loading.delete(k);
  }

  private async loadUnits() {
    const now = this.clock.now().getTime();
    if (this.caches.units && now - this.caches.units.at < TTL_MS) return this.caches.units;
    const rows = await this.db.select().from(units);
    const byCode = new Map(rows.map((u) => [u.code, u]));
    const children = new Map<string, string[]>();
    for (const u of rows) if (u.parent) children.set(u.parent, [...(children.get(u.parent) ?? []), u.code]);
    this.caches.units = { at: now, byCode, children };
    return this.caches.units;
  }

  async unit(code: string): Promise<UnitRow | null> {
    return (await this.loadUnits()).byCode.get(code) ?? null;
  }

  async allUnits(): Promise<UnitRow[]> {
    return [...(await this.loadUnits()).byCode.values()];
  }

  /** The unit and every unit below it. */
  async subtree(code: string): Promise<string[]> {
    const { children } = await this.loadUnits();
    const out: string[] = [];
    const walk = (c: string, depth: number): void => {
      if (depth > 20) return;
      out.push(c);
      for (const k of children.get(c) ?? []) walk(k, depth + 1);
    };
    walk(code, 0);
    return out;
  }

  /**
   * What a province's totals cover: its own tree and the trees of the vertical agencies it
   * holds (provincial police, social insurance: `units.province`), which are not below its
   * People's Committee. For any other unit, its subtree.
   */
  async territory(code: string): Promise<string[]> {
    const { byCode } = await this.loadUnits();
    const held = [...byCode.values()].filter((u) => u.province === code && u.code !== code).map((u) => u.code);
    const out = new Set(await this.subtree(code));
    for (const h of held) for (const c of await this.subtree(h)) out.add(c);
    return [...out];
  }

  /** Units as the engine's signing formulas need them. */
  async unitInfos(): Promise<{ [code: string]: UnitInfo }> {
    // Built once per load of the unit tree: every action needs it, and a province has thousands of units.
    const loaded = await this.loadUnits();
    if (loaded.infos) return loaded.infos;
    const out: { [code: string]: UnitInfo } = {};
    for (const u of loaded.byCode.values()) {
      out[u.code] = {
        code: u.code, name: u.name,
        ...(u.collectiveName ? { collectiveName: u.collectiveName } : {}),
        ...(u.headTitle ? { headTitle: u.headTitle } : {}),
        ...(u.parent ? { parent: u.parent } : {}),
        kind: u.kind,
      };
    }
    loaded.infos = Object.freeze(out);
    return out;
  }

  /** The calendar of a unit: its own, else the nearest ancestor's, else the province default ('*'), else the built-in one. */
  async calendar(unit?: string): Promise<Calendar> {
    const now = this.clock.now().getTime();
    const scopes: string[] = [];
    let cur = unit ? await this.unit(unit) : null;
    for (let i = 0; cur && i < 20; i++) {
      scopes.push(cur.code);
      cur = cur.parent ? await this.unit(cur.parent) : null;
    }
    scopes.push('*');
    const key = scopes[0] ?? '*';
    const hit = this.caches.calendars.get(key);
    if (hit && now - hit.at < TTL_MS) return hit.calendar;
    const rows = await this.db.select().from(calendars);
    const byScope = new Map(rows.map((r) => [r.scope, r.config as CalendarConfig]));
    const config = scopes.map((s) => byScope.get(s)).find((c) => c !== undefined) ?? VN_DEFAULT_CALENDAR;
    const calendar = createCalendar(config);
    this.caches.calendars.set(key, { at: now, calendar });
    return calendar;
  }

  invalidateUnits(): void {
    this.caches.units = null;
    this.caches.calendars.clear();
  }

  invalidateCalendars(): void {
    this.caches.calendars.clear();
  }

  /** A compiled version of a procedure, or null when it does not exist. */
  async procedure(id: string, version: number): Promise<CompiledProcedure | null> {
    const key = `${id}@${version}`;
    const hit = this.caches.compiled.get(key);
    if (hit) return hit;
    // Compiling costs tens of milliseconds of CPU (the data schemas are compiled): requests for a
    // version not compiled yet (a restarted server's first minute) wait for the one compilation
    // under way rather than each running their own.
    const loadKey = `procedure:${key}`;
    const pending = this.loading.get(loadKey) as Promise<CompiledProcedure | null> | undefined;
    if (pending) return pending;
    const load = (async (): Promise<CompiledProcedure | null> => {
      const [row] = await this.db.select().from(procedureVersions)
        .where(and(eq(procedureVersions.procedureId, id), eq(procedureVersions.version, version)));
      if (!row) return null;
      if (row.status !== 'draft') {
        // Published and retired versions never change: cached for good.
        const compiled = compileProcedure(row.definition as ProcedureDefinition);
        this.caches.compiled.set(key, compiled);
        this.caches.drafts.delete(key);
        return compiled;
      }
      // A draft is compiled again only when its definition changed (one at the size limits
      // takes most of a second to compile, and the designer asks for it on every check).
      // By content, not `updated_at`: two saves may share a timestamp.
      const digest = createHash('sha256').update(JSON.stringify(row.definition)).digest('base64');
      const kept = this.caches.drafts.get(key);
      if (kept?.digest === digest) return kept.compiled;
      const compiled = compileProcedure(row.definition as ProcedureDefinition);
      if (this.caches.drafts.size >= MAX_DRAFTS_KEPT) this.caches.drafts.delete(this.caches.drafts.keys().next().value as string);
      this.caches.drafts.set(key, { digest, compiled });
      return compiled;
    })();
    this.loading.set(loadKey, load);
    try {
      return await load;
    } finally {
      this.loading.delete(loadKey);
    }
  }
}
