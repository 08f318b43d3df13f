import { Engine, type BpmnEngineExecutionState, type BpmnEngineOptions } from 'bpmn-engine';
import type { Driver } from '../lib/measure';

type SourceContext = BpmnEngineOptions['sourceContext'];

/**
 * How the peer keeps its definition between requests:
 * - `cached-source`: the parsed definition (bpmn-engine's serialisable source context) is
 *   built once and handed to every `new Engine({ sourceContext })`; the saved state leaves
 *   it out. This mirrors motcua, whose compiled procedure is cached and whose snapshot
 *   holds no definition. The fair comparison: the ratio is taken against this mode.
 * - `source-in-state`: the state exactly as `getState()` returns it by default, which
 *   embeds the serialised definition; `new Engine().recover(state)` rebuilds it on every
 *   request. Reported for information.
 */
export type PeerMode = 'cached-source' | 'source-in-state';

/**
 * A logger that does nothing: the default one builds a `debug` logger (and asks whether
 * stderr is a TTY) for every element of every engine, a few per cent of the peer's time.
 */
const silentLogger: BpmnEngineOptions['Logger'] = () => ({ debug() {}, error() {}, warn() {} });

/** The saved state without the embedded definition (`cached-source` mode). */
function withoutSource(state: BpmnEngineExecutionState): object {
  return { ...state, definitions: state.definitions.map(({ source: _source, ...rest }) => rest) };
}

/**
 * bpmn-engine, per action, what a server using it does per request after loading the row:
 *   1. `JSON.parse` the stored state,
 *   2. `new Engine(…).recover(state)` and `await resume()`: rebuild the running instance,
 *   3. `signal({ id: <user task>, by: <user id> })` the waiting user task; the engine
 *      completes it and, synchronously, enters the next user task (or the end event),
 *   4. `await getState()` and `JSON.stringify` it (the row; the peer has no separate log
 *      or outbox: its state is all it produces).
 * It checks no role or unit, computes no due dates and emits no effects: motcua does all
 * three in the same step, so the comparison leans the peer's way; so does the silent logger.
 */
export async function bpmnEngineDriver(bpmnXml: string, taskIds: string[], actorIds: string[], mode: PeerMode): Promise<Driver & { version: string; bytesPerAction(): number }> {
  const probe = new Engine({ name: 'probe', source: bpmnXml, Logger: silentLogger });
  const [definition] = await probe.getDefinitions();
  if (!definition) throw new Error('bench: the BPMN source has no definition');
  const sourceContext = definition.environment.options['source'] as SourceContext;
  const missing = taskIds.filter((id) => !definition.getActivityById(id));
  if (missing.length > 0) throw new Error(`bench: the BPMN source lacks user tasks ${missing.join(', ')}`);
  const version = (await probe.getState()).engineVersion;

  const save = (state: BpmnEngineExecutionState): string => JSON.stringify(mode === 'cached-source' ? withoutSource(state) : state);
  const fresh = (): Engine => (mode === 'cached-source' ? new Engine({ sourceContext, Logger: silentLogger }) : new Engine({ Logger: silentLogger }));
  let store: string[] = [];
  let written = 0;
  let taken = 0;

  return {
    name: `bpmn-engine (${mode})`,
    version,
    async prepare(round, dossiers) {
      store = new Array<string>(dossiers);
      for (let d = 0; d < dossiers; d++) {
        const engine = new Engine({ name: `R${round}-D${d}`, sourceContext, Logger: silentLogger });
        await engine.execute();
        store[d] = save(await engine.getState());
      }
    },
    async act(d, a) {
      const engine = fresh().recover(JSON.parse(store[d] as string));
      const execution = await engine.resume();
      execution.signal({ id: taskIds[a], by: actorIds[a] });
      const row = save(await engine.getState());
      store[d] = row;
      written += row.length;
      taken++;
    },
    verify() {
      store.forEach((row, d) => {
        const state = JSON.parse(row) as BpmnEngineExecutionState;
        const status = (state.definitions[0] as { execution?: { status?: string } } | undefined)?.execution?.status;
        if (state.state !== 'idle' || status !== 'completed') {
          throw new Error(`bench: bpmn-engine dossier ${d} ended ${state.state}/${status ?? '-'}`);
        }
      });
    },
    bytesPerAction: () => Math.round(written / Math.max(1, taken)),
  };
}
