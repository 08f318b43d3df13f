/**
 * Generates a province's two years of dossiers straight in SQL (`generate_series` INSERT …
 * SELECT), then the matching daily and monthly rollups (`rebuildStatsDaily`, the same counts the
 * server keeps in each transaction). Deterministic: every "random" draw is a hash of the
 * dossier number, so two runs (and two parallel chunks) produce the same rows.
 *
 * Shape: one province, `communes` communes under it; `procedures` procedures over 20
 * fields, a few much busier than the rest (Zipf-like, P(rank ≥ r) = r^-0.6: the busiest
 * takes a third of the dossiers, the top 10 three quarters, ranks above 100 about 6%, as
 * certification of copies and civil status dominate a commune's desk); dossiers received
 * evenly over the weekdays (numbered in order of arrival, as a live table fills), at
 * 07:30–17:00 local time; 35% online, 60% in person, 5% by post; 1% refused at
 * intake, 1% withdrawn after acceptance, 0.2% stuck for one to six months, the rest handled
 * in 15–105% of the legal time (about 5% late); dossiers whose closure would fall after
 * "now" are still open, one in twenty of them waiting for a supplement (no appointment);
 * 30% of returned results rated 3–5.
 */
import type pg from 'pg';

export interface Shape {
  dossiers: number;
  communes: number;
  procedures: number;
  /** The instant the data ends at (the benchmark's "now"). */
  now: Date;
  /** Monday of the first week: two years of weekdays from it up to `now`. */
  firstMonday: string;
}

export const PROVINCE = '000.00.00.H50';
export const communeCode = (n: number): string => `000.${String(n).padStart(3, '0')}.31.H50`;

/** Units and procedures (the report reads unit names and the tree, procedure codes and names). */
export async function seedReference(pool: pg.Pool, shape: Shape): Promise<void> {
  await pool.query(`insert into units (code, name, kind) values ($1, 'UBND tỉnh Bench', 'province')`, [PROVINCE]);
  await pool.query(`
    insert into units (code, name, kind, parent)
    select '000.' || lpad(n::text, 3, '0') || '.31.H50', 'UBND xã Số ' || n, 'commune', $1
    from generate_series(1, $2::int) n`, [PROVINCE, shape.communes]);
  await pool.query(`
    insert into procedures (id, code, name, field)
    select 'p-' || lpad(n::text, 3, '0'), '1.' || lpad((4000 + n)::text, 6, '0'), 'Thủ tục số ' || n,
      'Lĩnh vực ' || lpad((n % 20 + 1)::text, 2, '0')
    from generate_series(1, $1::int) n`, [shape.procedures]);
  // Uniform draws in [0, 1) from a dossier number and a salt, stable across runs.
  await pool.query(`
    create or replace function bench_rnd(i bigint, salt int) returns float8 language sql immutable parallel safe
    as $$ select (hashint8(i * 1000 + salt)::int8 & 2147483647)::float8 / 2147483648.0 $$`);
}

/** Inserts dossiers `lo`..`hi` (1-based); run chunks side by side on separate connections. */
export async function insertDossiers(pool: pg.Pool, shape: Shape, lo: number, hi: number): Promise<void> {
  const nowLocal = new Date(shape.now.getTime() + 7 * 3_600_000);
  const weeks = Math.floor((Date.parse(`${nowLocal.toISOString().slice(0, 10)}T00:00:00Z`) - Date.parse(`${shape.firstMonday}T00:00:00Z`)) / (7 * 86_400_000));
  const todayIndex = weeks * 5 + ((nowLocal.getUTCDay() + 6) % 7); // weekday index of today (Mon = 0)
  const workdays = todayIndex + 1;
  const nowHours = nowLocal.getUTCHours() + nowLocal.getUTCMinutes() / 60;
  await pool.query(`
    insert into dossiers (id, procedure_id, procedure_version, procedure_code, field, receiving_unit, competent_unit, return_unit,
      channel, status, outcome, applicant_name, version, snapshot, submitted_at, received_at, due_at, closed_at, last_hash, rating)
    select 'D' || lpad(i::text, 8, '0'), 'p-' || lpad(p::text, 3, '0'), 1, '1.' || lpad((4000 + p)::text, 6, '0'),
      'Lĩnh vực ' || lpad((p % 20 + 1)::text, 2, '0'), u, u, u, ch,
      case when closed is null then (case when refused then 'intake' else 'processing' end)
        when refused then 'refused' when withdrawn then 'withdrawn' else 'done' end,
      case when closed is null then null when refused then 'refused' when withdrawn then 'withdrawn' else 'approved' end,
      'Nguyễn Văn A', 3, '{"bench": true}'::jsonb, arrived - interval '10 minutes',
      case when refused then null else arrived end,
      case when refused then null when closed is null and paused then null else arrived + legal end,
      closed, 'bench',
      case when closed is not null and not refused and not withdrawn and r_rate < 0.3 then 3 + floor(r_score * 3)::int end
    from (
      select i, p, u, ch, arrived, legal, refused, withdrawn, r_rate, r_score, paused,
        case when finish > $3::timestamptz then null else finish end as closed
      from (
        select i, p, u, ch, arrived, legal, r_rate, r_score, refused, withdrawn, r_fate2 < 0.05 as paused,
          case
            when refused then arrived + interval '30 minutes'
            when withdrawn then arrived + legal * (r_dur * 0.5)
            when r_fate < 0.022 then arrived + interval '1 day' * (30 + r_dur * 150)
            else arrived + legal * (0.15 + r_dur * 0.9)
          end as finish
        from (
          select i, p, u, ch, r_dur, r_rate, r_score, r_fate, r_fate2,
            -- a weekday, then a time of day: 07:30–17:00, today only up to now
            (($4::date + (k / 5) * 7 + (k % 5))::timestamp
              + interval '1 hour' * (7.5 + r_time * (case when k = $5 then greatest(0, $6::float8 - 7.5) else 9.5 end))) at time zone 'UTC'
              - interval '7 hours' as arrived,
            interval '1 day' * (1.4 * (1 + p % 10)) as legal,
            r_fate < 0.01 as refused, r_fate >= 0.01 and r_fate < 0.02 as withdrawn
          from (
            select i,
              -- dossiers numbered in the order they arrive, as a live table fills up
              floor((i - 1) * $7::float8 / $10)::int as k,
              bench_rnd(i, 2) as r_time,
              '000.' || lpad((1 + floor(bench_rnd(i, 3) * $8))::int::text, 3, '0') || '.31.H50' as u,
              -- rank ~ Zipf: P(rank ≥ r) = r^-0.6, the far tail spread evenly over ranks 101–400
              (select case when x > $9 then 101 + (i % ($9 - 100)) else x end
               from (select least(floor(power(1 - bench_rnd(i, 4), -1 / 0.6)), 1000000)::int as x) z) as p,
              case when bench_rnd(i, 5) < 0.35 then 'online' when bench_rnd(i, 5) < 0.95 then 'direct' else 'postal' end as ch,
              bench_rnd(i, 6) as r_fate, bench_rnd(i, 7) as r_dur, bench_rnd(i, 8) as r_rate, bench_rnd(i, 9) as r_score,
              bench_rnd(i, 10) as r_fate2
            from generate_series($1::bigint, $2::bigint) i
          ) a
        ) b
      ) c
    ) d`, [lo, hi, shape.now.toISOString(), shape.firstMonday, todayIndex, nowHours, workdays, shape.communes, shape.procedures, shape.dossiers]);
}
