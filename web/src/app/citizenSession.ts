/**
 * The citizen's session as the public frame sees it: the header shows a signed-in citizen
 * their name, "Hồ sơ của tôi" and "Đăng xuất" instead of the officers' sign-in.
 *
 * The session cookie is httpOnly; its anti-forgery companion (`motcua_citizen_csrf`, path /)
 * is readable, so a visitor without it is not asked about a session at all (no 401 for
 * every anonymous page). With it, /api/me says who is signed in (null once the session has
 * ended elsewhere).
 */
import { useEffect, useState } from 'react';

export interface SessionCitizen { personalId: string; name: string }

const CSRF = /(?:^|;\s*)motcua_citizen_csrf=([^;]+)/;

export function useCitizenSession(): SessionCitizen | null {
  const [me, setMe] = useState<SessionCitizen | null>(null);
  useEffect(() => {
    if (!CSRF.test(document.cookie)) return undefined;
    let live = true;
    fetch('/api/me', { credentials: 'same-origin' })
      .then((r) => (r.ok ? (r.json() as Promise<SessionCitizen>) : null))
      .then((c) => { if (live) setMe(c); }, () => undefined);
    return () => { live = false; };
  }, []);
  return me;
}

/** Ends the citizen's session and goes to the citizen's start page (a fresh page: no screen keeps the old session). */
export async function signOutCitizen(): Promise<void> {
  const m = CSRF.exec(document.cookie);
  await fetch('/api/citizen/logout', {
    method: 'POST', credentials: 'same-origin', body: '{}',
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': m ? decodeURIComponent(m[1]!) : '' },
  });
  window.location.assign('/cong-dan');
}
