import { useEffect } from 'react';
import { useBlocker } from 'react-router';

/** Asks before leaving with unsaved changes: the browser's own prompt on unload, `confirmText` on a route change. */
export function useLeaveGuard(dirty: boolean, confirmText: string): void {
  useEffect(() => {
    if (!dirty) return undefined;
    const onUnload = (e: BeforeUnloadEvent) => { e.preventDefault(); };
    window.addEventListener('beforeunload', onUnload);
    return () => window.removeEventListener('beforeunload', onUnload);
  }, [dirty]);
  const blocker = useBlocker(({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname);
  useEffect(() => {
    if (blocker.state !== 'blocked') return;
    if (window.confirm(confirmText)) blocker.proceed();
    else blocker.reset();
  }, [blocker, confirmText]);
}
