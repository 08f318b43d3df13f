/**
 * Who is signed in, with their roles per unit. The access token lives in memory; a reload
 * restores the session from the refresh cookie, and the token is renewed before it expires.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import {
  api, csrfToken, endSession, onTokenChange, refreshSession, tokenStore, unwrap, type Session, type components, type paths,
} from '../api/client';

export type Me = paths['/api/auth/me']['get']['responses'][200]['content']['application/json'];
export type Role = 'designer' | 'admin' | 'desk' | 'specialist' | 'leader';
export type { components };

interface AuthState {
  user: Me | null;
  /** True until the stored token has been checked. */
  loading: boolean;
  login: (username: string, password: string) => Promise<Me>;
  logout: () => Promise<void>;
  hasRole: (role: Role | Role[], unit?: string) => boolean;
  /** Units where the user holds `role` (any role when omitted). */
  unitsFor: (role?: Role | Role[]) => string[];
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<Me | null>(null);
  // The CSRF cookie is readable (the refresh cookie is not): it says whether there is a session to restore.
  const [loading, setLoading] = useState(() => tokenStore.get() === null && csrfToken() !== null);
  const renewal = useRef<ReturnType<typeof setTimeout> | null>(null);

  /** Takes a session (login or refresh) and renews it a minute before its token expires. */
  const adopt = useCallback((session: Session | null) => {
    if (renewal.current) clearTimeout(renewal.current);
    renewal.current = null;
    if (!session) {
      tokenStore.set(null);
      return;
    }
    tokenStore.set(session.token);
    setUser(session.user);
    const inMs = Math.max(session.expiresIn - 60, 30) * 1000;
    renewal.current = setTimeout(() => { void refreshSession().then(adopt); }, Math.min(inMs, 2 ** 31 - 1));
  }, []);

  useEffect(() => {
    if (tokenStore.get()) {
      unwrap(api.GET('/api/auth/me')).then(setUser, () => tokenStore.set(null)).finally(() => setLoading(false));
      return;
    }
    if (!csrfToken()) return;
    void refreshSession().then(adopt).finally(() => setLoading(false));
  }, [adopt]);

  // A 401 anywhere clears the token: sign the user out everywhere at once.
  useEffect(() => onTokenChange((token) => { if (!token) setUser(null); }), []);
  useEffect(() => () => { if (renewal.current) clearTimeout(renewal.current); }, []);

  const login = useCallback(async (username: string, password: string) => {
    const res = await unwrap(api.POST('/api/auth/login', { body: { username, password } }));
    adopt(res);
    return res.user;
  }, [adopt]);

  const logout = useCallback(async () => {
    adopt(null);
    await endSession();
    setUser(null);
  }, [adopt]);

  const value = useMemo<AuthState>(() => {
    const matches = (role: Role | Role[] | undefined, grantRole: string) =>
      role === undefined || (Array.isArray(role) ? role.includes(grantRole as Role) : role === grantRole);
    return {
      user,
      loading,
      login,
      logout,
      hasRole: (role, unit) => !!user?.grants.some((g) => matches(role, g.role) && (unit === undefined || g.unit === unit)),
      unitsFor: (role) => [...new Set(user?.grants.filter((g) => matches(role, g.role)).map((g) => g.unit) ?? [])],
    };
  }, [user, loading, login, logout]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
