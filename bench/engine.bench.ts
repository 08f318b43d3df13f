/**
 * Engine throughput: actions per second on a 10-step sequential procedure, motcua against
 * bpmn-engine on the same flow, in the same run, rounds interleaved (motcua, peer, peer…)
 * so that drift on a shared machine hits both sides alike. What each side does per action
 * is spelt out in `engine/motcuaDriver.ts` and `engine/bpmnEngineDriver.ts`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { actionSteps, motcuaDriver } from './engine/motcuaDriver';
import { bpmnEngineDriver } from './engine/bpmnEngineDriver';
import { runRound, summarize, type Driver, type Round, type Summary } from './lib/measure';
import { machine } from './lib/machine';
import type { Bench } from './lib/types';
import type { ProcedureDefinition } from '../engine/src/definition/types';

const fixture = (name: string): string => readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');

const BAR = { minActionsPerSecond: 10_000, minRatio: 5 };
const WARMUP_ROUNDS = 2;
const TIMED_ROUNDS = 7;

interface Side {
  driver: Driver;
  /** Dossiers per round, sized so that each round lasts roughly 0.1–1 s. */
  dossiers: number;
  rounds: Round[];
}

const fmt = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 1 });
const line = (label: string, s: Summary): string =>
  `${label.padEnd(40)} ${fmt(s.actionsPerSecond).padStart(8)} actions/s (best ${fmt(s.bestActionsPerSecond)})  p50 ${fmt(s.p50us)} µs  p99 ${fmt(s.p99us)} µs`;

const bench: Bench = {
  title: 'engine: actions/s on a 10-step procedure, motcua vs bpmn-engine',
  async run(log) {
    const definitionJson = fixture('ten-steps.json');
    const steps = actionSteps(JSON.parse(definitionJson) as ProcedureDefinition);
    const taskIds = steps.map((s) => s.step);
    const actorIds = steps.map((s) => s.actor.id);
    const bpmn = fixture('ten-steps.bpmn');

    const motcua = motcuaDriver(definitionJson);
    const peer = await bpmnEngineDriver(bpmn, taskIds, actorIds, 'cached-source');
    const peerSourceInState = await bpmnEngineDriver(bpmn, taskIds, actorIds, 'source-in-state');
    const sides: Side[] = [
      { driver: motcua, dossiers: 500, rounds: [] },
      { driver: peer, dossiers: 30, rounds: [] },
      { driver: peerSourceInState, dossiers: 10, rounds: [] },
    ];
    const actions = steps.length;

    for (let r = 0; r < WARMUP_ROUNDS + TIMED_ROUNDS; r++) {
      const warm = r < WARMUP_ROUNDS;
      for (const side of sides) {
        const round = await runRound(side.driver, r, side.dossiers, actions);
        if (!warm) side.rounds.push(round);
        log(`  ${warm ? 'warm-up' : 'round  '} ${r + 1 - (warm ? 0 : WARMUP_ROUNDS)}  ${side.driver.name.padEnd(32)} ${fmt(Math.round(round.actionsPerSecond)).padStart(8)} actions/s`);
      }
    }

    const [m, p, ps] = sides.map((s) => summarize(s.rounds)) as [Summary, Summary, Summary];
    const ratio = Math.round((m.actionsPerSecond / p.actionsPerSecond) * 10) / 10;
    const pass = m.actionsPerSecond >= BAR.minActionsPerSecond && ratio >= BAR.minRatio;
    const result = {
      ...machine(),
      workload: {
        procedure: 'bench/fixtures/ten-steps.json (peer: bench/fixtures/ten-steps.bpmn)',
        actionsPerDossier: actions,
        timedRounds: TIMED_ROUNDS,
        warmupRounds: WARMUP_ROUNDS,
        cycle: 'JSON.parse(stored state) → one action → JSON.stringify(new state [+ events, effects])',
      },
      motcua: { ...m, dossiersPerRound: sides[0]?.dossiers, bytesWrittenPerAction: motcua.bytesPerAction() },
      peer: { name: 'bpmn-engine', version: peer.version, mode: 'cached-source', ...p, dossiersPerRound: sides[1]?.dossiers, bytesWrittenPerAction: peer.bytesPerAction() },
      peerSourceInState: { name: 'bpmn-engine', version: peer.version, mode: 'source-in-state', ...ps, dossiersPerRound: sides[2]?.dossiers, bytesWrittenPerAction: peerSourceInState.bytesPerAction() },
      ratio,
      ratioSourceInState: Math.round((m.actionsPerSecond / ps.actionsPerSecond) * 10) / 10,
      bar: BAR,
      pass,
    };
    const summary = [
      line('motcua', m),
      line(`bpmn-engine ${peer.version} (cached source)`, p),
      line(`bpmn-engine ${peer.version} (source in state)`, ps),
      `ratio ${ratio}× (vs source in state: ${result.ratioSourceInState}×); bar ≥ ${fmt(BAR.minActionsPerSecond)} actions/s and ≥ ${BAR.minRatio}×: ${pass ? 'PASS' : 'FAIL'}`,
    ];
    return { result, pass, summary };
  },
};

export default bench;
