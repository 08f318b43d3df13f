export { renderSlip } from './renderSlip';
export { slipTitle, SLIP_FORM_NUMBER } from './titles';
export { SlipDataError, formatInstant, formatDate } from './format';
export { SLIP_KINDS } from './types';
export type { SlipData, SlipDocument, SlipHandoff, SlipKind, SlipSigning } from './types';
export { slipFonts } from './fonts';
