/** Who is signed in, with their roles per unit; the token lives in localStorage. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, onTokenChange, tokenStore, unwrap, type components, type paths } from '../api/client';

export type Me = paths['/api/auth/me']['get']['responses'][200]['content']['application/json'];
export type Role = 'designer' | 'admin' | 'desk' | 'specialist' | 'leader';
export type { components };

interface AuthState {
  user: Me | null;
  /** True until the stored token has been checked. */
  loading: boolean;
  login: (username: string, password: string) => Promise<Me>;
  logout: () => void;
  hasRole: (role: Role | Role[], unit?: string) => boolean;
  /** Units where the user holds `role` (any role when omitted). */
  unitsFor: (role?: Role | Role[]) => string[];
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<Me | null>(null);
  const [loading, setLoading] = useState(() => tokenStore.get() !== null);

  useEffect(() => {
    if (!tokenStore.get()) return;
    unwrap(api.GET('/api/auth/me'))
      .then(setUser, () => tokenStore.set(null))
      .finally(() => setLoading(false));
  }, []);

  // A 401 anywhere clears the token: sign the user out everywhere at once.
  useEffect(() => onTokenChange((token) => { if (!token) setUser(null); }), []);

  const login = useCallback(async (username: string, password: string) => {
    const res = await unwrap(api.POST('/api/auth/login', { body: { username, password } }));
    tokenStore.set(res.token);
    setUser(res.user);
    return res.user;
  }, []);

  const logout = useCallback(() => {
    tokenStore.set(null);
    setUser(null);
  }, []);

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
