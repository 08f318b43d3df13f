/**
 * Login throttling that counts failures only, per account and per address. Successful
 * logins never count, so a commune office behind one router is never locked out by its own
 * staff signing in; a guesser is slowed per account (wherever they try from) and per
 * address (whichever accounts they try). Kept in the database, not in process memory, so
 * every server process shares the counts, and read against the injected clock.
 */
import type { Deps } from '../deps';
import { HttpError } from '../http/errors';
import { addFailure, clearFailures, dropFailuresBefore, failuresOf } from './repo';

export interface ThrottleKeys {
  account: string;
  address: string;
}

export const throttleKeys = (username: string, address: string | undefined): ThrottleKeys => ({
  // NFC and lower case: "Lan", "lan" and an NFD spelling are one account for counting.
  account: `account:${username.normalize('NFC').toLowerCase()}`,
  address: `address:${address ?? 'unknown'}`,
});

const minutes = (seconds: number) => Math.max(1, Math.ceil(seconds / 60));

/** Throws 429 (with Retry-After seconds in `details`) when either key has used up its failures. */
export async function checkThrottle(deps: Deps, keys: ThrottleKeys): Promise<void> {
  const { loginAccountLimit, loginRateLimit, loginWindowSeconds } = deps.config;
  const now = deps.clock.now().getTime();
  const rows = await failuresOf(deps, [keys.account, keys.address]);
  for (const row of rows) {
    const limit = row.key === keys.account ? loginAccountLimit : loginRateLimit;
    const left = Math.ceil((Date.parse(row.windowStart) + loginWindowSeconds * 1000 - now) / 1000);
    if (left <= 0 || row.failures < limit) continue;
    const wait = minutes(left);
    const messages = row.key === keys.account
      ? {
        vi: `Tài khoản này đã đăng nhập sai ${row.failures} lần nên tạm thời bị chặn đăng nhập; vui lòng thử lại sau ${wait} phút hoặc nhờ quản trị viên đặt lại mật khẩu`,
        en: `This account had ${row.failures} failed logins, so signing in is paused; try again in ${wait} minute(s) or ask an administrator to reset the password`,
      }
      : {
        vi: `Có quá nhiều lần đăng nhập sai từ địa chỉ mạng này (${row.failures} lần); vui lòng thử lại sau ${wait} phút`,
        en: `Too many failed logins from this network address (${row.failures}); try again in ${wait} minute(s)`,
      };
    throw new HttpError(429, 'TOO_MANY_ATTEMPTS', messages, undefined, { retryAfterSeconds: left });
  }
}

let lastSweep = 0;

/** Counts one failure against both keys (a window starts at the first failure and lasts `loginWindowSeconds`). */
export async function recordFailure(deps: Deps, keys: ThrottleKeys): Promise<void> {
  const now = deps.clock.now();
  const expired = new Date(now.getTime() - deps.config.loginWindowSeconds * 1000).toISOString();
  const at = now.toISOString();
  for (const key of [keys.account, keys.address]) await addFailure(deps, key, at, expired);
  // Expired windows are dropped now and then, so a spray of addresses does not pile up rows.
  if (now.getTime() - lastSweep > 60_000) {
    lastSweep = now.getTime();
    await dropFailuresBefore(deps, expired);
  }
}

/** A successful login clears the account's count (not the address's: other accounts' guesses still count). */
export async function clearAccount(deps: Deps, keys: ThrottleKeys): Promise<void> {
  await clearFailures(deps, keys.account);
}
