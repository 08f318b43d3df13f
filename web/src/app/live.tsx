/**
 * Live updates: one socket.io connection per signed-in tab. Server events invalidate the
 * cached queries they concern, so every screen re-reads what changed without a reload.
 * Query keys the app uses (keep to these so invalidation reaches you):
 *   ['dossiers', ...]     inbox lists          ['dossier', id, ...]  one dossier (and its events, documents)
 *   ['stats', ...]        reports, summaries   ['procedures', ...]   catalog (officers)
 *   ['public', ...]       public catalog and lookups
 */
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { io, type Socket } from 'socket.io-client';
import { useQueryClient } from '@tanstack/react-query';
import type { DossierChanged } from '@motcua/engine';
import { refreshSession, tokenStore } from '../api/client';
import { useAuth } from './auth';

interface LiveState {
  connected: boolean;
  socket: Socket | null;
}

const LiveContext = createContext<LiveState>({ connected: false, socket: null });

export function LiveProvider({ children }: { children: ReactNode }) {
  const { user } = useAuth();
  const queryClient = useQueryClient();
  const [state, setState] = useState<LiveState>({ connected: false, socket: null });

  useEffect(() => {
    const token = tokenStore.get();
    if (!user || !token) return;
    // The token is read at each (re)connection: it is renewed while the socket lives.
    const socket = io({ path: '/socket.io', auth: (cb) => cb({ token: tokenStore.get() }), transports: ['websocket', 'polling'] });
    setState({ connected: false, socket });
    socket.on('connect', () => {
      setState({ connected: true, socket });
      // Anything may have changed while we were away.
      void queryClient.invalidateQueries();
    });
    socket.on('disconnect', () => setState({ connected: false, socket }));
    socket.on('dossier:changed', (e: DossierChanged) => {
      void queryClient.invalidateQueries({ queryKey: ['dossiers'] });
      void queryClient.invalidateQueries({ queryKey: ['dossier', e.dossierId] });
    });
    socket.on('stats:changed', () => void queryClient.invalidateQueries({ queryKey: ['stats'] }));
    socket.on('catalog:changed', () => {
      void queryClient.invalidateQueries({ queryKey: ['procedures'] });
      void queryClient.invalidateQueries({ queryKey: ['public'] });
    });
    // Expired: renew from the refresh cookie and reconnect (or sign out when the session is gone too).
    socket.on('session:expired', () => {
      void refreshSession().then((session) => { if (session) socket.connect(); else tokenStore.set(null); });
    });
    socket.on('session:revoked', () => tokenStore.set(null));
    // Roles or delegations changed: reconnect to join the rooms they allow now. The server
    // closes the socket right after telling it, and socket.io does not reconnect a socket the
    // server closed: connect again once that close has arrived (connecting now would do nothing).
    socket.on('session:changed', () => { socket.once('disconnect', () => { socket.connect(); }); });
    // A delegation of this officer (made by them or to them) was recorded or revoked: what they may see and do changed.
    socket.on('delegation:changed', () => {
      void queryClient.invalidateQueries({ queryKey: ['admin', 'delegations'] });
      void queryClient.invalidateQueries({ queryKey: ['dossiers'] });
    });
    return () => {
      socket.disconnect();
      setState({ connected: false, socket: null });
    };
  }, [user, queryClient]);

  return <LiveContext.Provider value={state}>{children}</LiveContext.Provider>;
}

export const useLive = (): LiveState => useContext(LiveContext);

/**
 * Joins the dossier's room while the component is mounted (events for dossiers outside the
 * user's units). True once the server said the dossier changed out of the user's sight (handed
 * to another unit, a delegation ended): what the page shows is the last it could read.
 */
export function useWatchDossier(dossierId: string | undefined): boolean {
  const { socket, connected } = useLive();
  const queryClient = useQueryClient();
  const [lost, setLost] = useState<string | null>(null);
  useEffect(() => {
    if (!socket || !connected || !dossierId) return;
    const onLost = (e: { dossierId: string }) => {
      if (e.dossierId !== dossierId) return;
      setLost(dossierId);
      void queryClient.invalidateQueries({ queryKey: ['dossiers'] });
    };
    socket.on('dossier:unwatched', onLost);
    // Refused on a reconnection (a delegation revoked meanwhile): out of sight as well. The
    // first watch of a page that could not read the dossier is refused too; the page says so already.
    socket.emit('dossier:watch', dossierId, (answer: { ok: boolean; error?: { code: string } }) => {
      if (!answer.ok && (answer.error?.code === 'NOT_FOUND' || answer.error?.code === 'FORBIDDEN')) onLost({ dossierId });
    });
    return () => {
      socket.off('dossier:unwatched', onLost);
      socket.emit('dossier:unwatch', dossierId);
    };
  }, [socket, connected, dossierId, queryClient]);
  return lost !== null && lost === dossierId;
}
