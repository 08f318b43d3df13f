/** Names of the issuing unit on a document (Decree 30/2020/NĐ-CP, Annex I): which units write no superior body, and the locality of the date line. Pure. */

/** Whether a unit is a People's Committee (Ủy ban nhân dân), which heads its documents with no superior body; pure. */
export function isPeoplesCommittee(unitName: string): boolean {
  return /^(UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s/iu.test(unitName);
}

/** "An Phú" from "UBND xã An Phú": the locality written before the date line; pure. */
export function placeOf(unitName: string): string {
  const stripped = unitName
    .replace(/^(UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+/iu, '')
    .replace(/^(thành phố|thị trấn|thị xã|tỉnh|xã|phường|huyện|quận|đặc khu)\s+/iu, '');
  // An agency of the locality ("Công an xã An Phú", "Trung tâm Phục vụ hành chính công xã An Phú"): the locality, never the agency.
  const within = /\s(?:thành phố|thị trấn|thị xã|tỉnh|xã|phường|huyện|quận|đặc khu)\s+(.+)$/iu.exec(stripped);
  return (within?.[1] ?? stripped).trim() || unitName;
}
