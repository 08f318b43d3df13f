export { renderSlip } from './renderSlip';
export { slipTitle, SLIP_FORM_NUMBER } from './titles';
export { SlipDataError, formatInstant, formatDate } from './format';
export { SLIP_KINDS } from './types';
export type { SlipData, SlipDocument, SlipHandoff, SlipKind, SlipSigning } from './types';
// The page layout of Decree 30/2020 and the fonts, shared with other documents (esign's results).
export { slipFonts } from './fonts';
export { formatDateLine } from './format';
export { contentWidth, drawHeading, drawTitle, field, para, PAGE } from './layout';
