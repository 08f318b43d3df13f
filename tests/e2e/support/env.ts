import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where the browser tests find the server and the browser. */
export const E2E_PORT = Number(process.env['E2E_PORT'] ?? 3199);
export const BASE_URL = `http://127.0.0.1:${E2E_PORT}`;
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/**
 * The demo's mailbox (MAIL_URL=file:…, README "Payments and notifications"): serve.ts points
 * the server at this folder, and the tests read the .eml files that arrive there.
 */
export const MAILBOX = join(tmpdir(), `motcua-e2e-mailbox-${E2E_PORT}`);
