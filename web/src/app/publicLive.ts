/** The `/public` socket.io namespace: a citizen tracks a dossier by code, no login. */
import { useEffect } from 'react';
import { io } from 'socket.io-client';
import { useQueryClient } from '@tanstack/react-query';

/**
 * While mounted, a change of the dossier `code` refreshes queries under ['public', 'dossier', code].
 * With a second factor the server sends the public fields, else the status only (the same
 * rule as the REST lookup); either way the event only triggers a refetch here.
 */
export function usePublicTracking(code: string | undefined, factor?: { key: string } | { last4: string } | null): void {
  const queryClient = useQueryClient();
  const key = factor && 'key' in factor ? factor.key : undefined;
  const last4 = factor && 'last4' in factor ? factor.last4 : undefined;
  useEffect(() => {
    if (!code) return;
    const socket = io('/public', { path: '/socket.io', transports: ['websocket', 'polling'] });
    socket.on('connect', () => socket.emit('subscribe', key || last4 ? { code, ...(key ? { key } : {}), ...(last4 ? { last4 } : {}) } : code));
    socket.on('dossier:changed', () => void queryClient.invalidateQueries({ queryKey: ['public', 'dossier', code] }));
    socket.on('catalog:changed', () => void queryClient.invalidateQueries({ queryKey: ['public', 'procedures'] }));
    return () => { socket.disconnect(); };
  }, [code, key, last4, queryClient]);
}
