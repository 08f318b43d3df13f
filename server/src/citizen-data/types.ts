/**
 * The citizen-data interface: what the rest of the server asks of the shared national
 * databases — the national population database (Cơ sở dữ liệu quốc gia về dân cư) and the
 * civil-status database (Cơ sở dữ liệu hộ tịch điện tử). One real adapter speaks their HTTP
 * services (./http.ts); the simulator (../simulators/population.ts) speaks the same contract
 * for the tests and the demo. docs/papers.md, "Shared data".
 */

/** Which shared database. */
export type SharedDataSource = 'population' | 'civil-status';

/** How the citizen gave their consent to the lookup (Decree 13/2023/NĐ-CP Art. 11: clear, recorded, verifiable). */
export type ConsentMethod = 'written' | 'vneid' | 'at-desk';

export interface LookupRequest {
  /** The 12-digit personal ID (số định danh cá nhân). */
  personalId: string;
  /** Why the data is asked for (the procedure or dossier purpose), sent with the request. */
  purpose: string;
  /** The unit asking, and the officer. */
  unit: string;
  officer: { id: string; name: string };
  /** The citizen's consent, given before the lookup. */
  consent: { method: ConsentMethod; at: string };
}

/** A person as the population database answers (only what the desk may use). */
export interface PersonRecord {
  personalId: string;
  fullName: string;
  /** YYYY-MM-DD */
  dateOfBirth: string;
  sex: 'male' | 'female';
  nationality: string;
  ethnicity: string | null;
  hometown: string | null;
  /** Nơi thường trú. */
  permanentAddress: string | null;
  /** Nơi ở hiện tại. */
  currentAddress: string | null;
}

export type MaritalStatus = 'single' | 'married' | 'divorced' | 'widowed';

/** A person's civil-status records as the civil-status database answers. */
export interface CivilStatusRecord {
  personalId: string;
  fullName: string;
  birth: { number: string; registeredOn: string; registeredAt: string } | null;
  maritalStatus: MaritalStatus;
  marriages: { number: string; registeredOn: string; registeredAt: string; spouseName: string; spouseId: string | null; ended: string | null }[];
}

/** An answer: the record, and the source's own reference of the lookup (for tracing). */
export interface Found<T> { record: T; sourceRef: string }

/**
 * Why a lookup gave no record: `unavailable` (down, timing out, refusing our token),
 * `bad-answer` (an answer that is not the contract), `refused` (the source refused the
 * request itself, e.g. no consent), `not-configured` (no address set).
 */
export type CitizenDataFailure = 'unavailable' | 'bad-answer' | 'refused' | 'not-configured';

export class CitizenDataError extends Error {
  constructor(readonly failure: CitizenDataFailure, readonly source: SharedDataSource, detail: string) {
    super(`${source}: ${failure}: ${detail}`);
    this.name = 'CitizenDataError';
  }
}

/** The interface: each call resolves to the record, or null when the person is unknown; throws CitizenDataError otherwise. */
export interface CitizenData {
  person(req: LookupRequest): Promise<Found<PersonRecord> | null>;
  civilStatus(req: LookupRequest): Promise<Found<CivilStatusRecord> | null>;
}
