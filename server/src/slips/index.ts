export { renderSlip } from './renderSlip';
export { slipTitle, SLIP_FORM_NUMBER } from './titles';
export { SlipDataError, formatInstant, formatDate } from './format';
export { SLIP_KINDS } from './types';
export { issuedSlip } from './records';
export type { SlipData, SlipDocument, SlipHandoff, SlipKind, SlipSigning } from './types';
export { issueSlips, mayIssueSlips } from './issue';
// The document layout of Decree 30/2020 and the fonts, shared with the reports printed as plain tables (stats/tables.ts) and esign's results.
export { contentWidth, drawHeading, drawTable, drawTitle, field, numberPages, para, PAGE, type Column } from './layout';
export { registerSlipFonts } from './fonts';
export { printable, printableData, MAX_FIELD } from './printable';
export { formatDateLine, formatDate as formatLocalDate } from './format';
export { placeOf, isPeoplesCommittee } from './place';
