/** The `/public` socket.io namespace: a citizen tracks a dossier by code, no login. */
import { useEffect } from 'react';
import { io } from 'socket.io-client';
import { useQueryClient } from '@tanstack/react-query';

/** While mounted, a change of the dossier `code` refreshes queries under ['public', 'dossier', code]. */
export function usePublicTracking(code: string | undefined): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!code) return;
    const socket = io('/public', { path: '/socket.io', transports: ['websocket', 'polling'] });
    socket.on('connect', () => socket.emit('subscribe', code));
    socket.on('dossier:changed', () => void queryClient.invalidateQueries({ queryKey: ['public', 'dossier', code] }));
    socket.on('catalog:changed', () => void queryClient.invalidateQueries({ queryKey: ['public', 'procedures'] }));
    return () => { socket.disconnect(); };
  }, [code, queryClient]);
}
