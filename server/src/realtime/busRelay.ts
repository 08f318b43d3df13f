/**
 * The bus → sockets: every message committed in this process is emitted to this process's
 * rooms and, on PostgreSQL, forwarded to the other processes (through the adapter, one
 * NOTIFY per batch), which emit it to their own rooms. So a client hears of a change
 * whichever process it is connected to.
 */
import type { Logger } from 'pino';
import type { BusMessage } from '../bus';
import type { Deps } from '../deps';
import { closeSessions, dossierDelivery, rooms, type RealtimeServer } from './officers';
import type { PublicNamespace } from './citizens';

/** Bus messages per NOTIFY to the other processes (a dossier change is ~250 bytes of JSON). */
const FORWARD_BATCH = 20;

export interface BusRelayOptions {
  io: RealtimeServer;
  pub: PublicNamespace;
  deps: Deps;
  log: Logger;
  /** Whether other processes may be listening (PostgreSQL): then messages are forwarded to them. */
  crossProcess: boolean;
  /** Tells the citizens tracking a dossier that it changed. */
  refreshPublic(code: string): void;
}

/** Emits one bus message to this process's sockets; `deliver` tells officers of a dossier's change. */
function emitLocally(o: BusRelayOptions, deliver: (m: BusMessage & { type: 'dossier.changed' }) => void, m: BusMessage): void {
  const { io, pub } = o;
  switch (m.type) {
    case 'dossier.changed':
      // Only those who may see the dossier hear of it (its watchers are checked again: ./officers.ts).
      deliver(m);
      o.refreshPublic(m.dossierId);
      break;
    case 'stats.changed':
      if (m.units.length) io.local.to(m.units.map(rooms.unit)).emit('stats:changed', { units: m.units });
      break;
    case 'delegation.changed':
      io.local.to([rooms.user(m.from), rooms.user(m.to)]).emit('delegation:changed', {
        delegationId: m.delegationId, change: m.change, from: m.from, to: m.to, by: m.by,
      });
      break;
    case 'catalog.changed':
      io.local.emit('catalog:changed', { procedureId: m.procedureId });
      pub.local.emit('catalog:changed', { procedureId: m.procedureId });
      break;
    case 'access.changed':
      closeSessions(io, o.deps, m.userId, m.tokenVersion);
      break;
    case 'citizen.signedOut':
      o.deps.directory.forget(`citizen:${m.personalId}`);
      break;
  }
}

/** Starts relaying; `stop()` unsubscribes and sends what this process committed last to the others. */
export function relayBus(o: BusRelayOptions): { stop(): void } {
  const { io, log } = o;
  let stopped = false;
  const deliver = dossierDelivery(io, o.deps, log);
  const safely = (m: BusMessage) => {
    // The publisher has already committed: a failure here must never reach it.
    try {
      emitLocally(o, deliver, m);
    } catch (err) {
      log.error({ err, type: m.type }, 'realtime: relay failed');
    }
  };

  // Other processes: the messages committed here within one turn of the event loop go out
  // together, one NOTIFY per batch (kept well under PostgreSQL's 8000-byte payload limit).
  let outgoing: BusMessage[] = [];
  const forward = () => {
    const batch = outgoing;
    outgoing = [];
    for (let i = 0; i < batch.length; i += FORWARD_BATCH) {
      try {
        io.serverSideEmit('motcua:bus', batch.slice(i, i + FORWARD_BATCH));
      } catch (err) {
        log.error({ err }, 'realtime: could not forward bus messages to the other processes');
      }
    }
  };
  if (o.crossProcess) io.on('motcua:bus', (batch) => { if (Array.isArray(batch)) for (const m of batch) safely(m); });
  const unsubscribe = o.deps.bus.subscribe((m) => {
    safely(m);
    if (o.crossProcess && !stopped) {
      if (outgoing.length === 0) setImmediate(forward);
      outgoing.push(m);
    }
  });
  return {
    stop: () => {
      stopped = true;
      unsubscribe();
      forward();
    },
  };
}
