/**
 * The citizen-data integration's front door: the interface (./types.ts) and the adapter the
 * server runs with, chosen from the settings (CITIZEN_DATA_URL, CITIZEN_DATA_TOKEN).
 */
import type { ServerConfig } from '../config';
import { HttpCitizenData } from './http';
import type { CitizenData } from './types';

export * from './types';
export { HttpCitizenData } from './http';

/** The adapter for the configured address; null when none is set (lookups then answer 503). */
export function createCitizenData(config: Pick<ServerConfig, 'citizenDataUrl' | 'citizenDataToken'>): CitizenData | null {
  if (!config.citizenDataUrl || !config.citizenDataToken) return null;
  return new HttpCitizenData(config.citizenDataUrl, config.citizenDataToken);
}
