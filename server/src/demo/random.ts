/**
 * A seeded pseudo-random generator for the demo data: the same seed gives the same
 * dossiers on every fresh start (no Math.random).
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1) (mulberry32). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A float in [min, max). */
  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** One key of a table of weights. */
  weighted<T extends string>(weights: { readonly [k in T]?: number }): T {
    const entries = Object.entries(weights) as [T, number][];
    const total = entries.reduce((s, [, w]) => s + w, 0);
    let x = this.next() * total;
    for (const [k, w] of entries) {
      x -= w;
      if (x < 0) return k;
    }
    return entries[entries.length - 1]![0];
  }

  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }
}

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý'];
const MIDDLE_M = ['Văn', 'Hữu', 'Đức', 'Minh', 'Quang', 'Công', 'Thành', 'Xuân'];
const MIDDLE_F = ['Thị', 'Ngọc', 'Thu', 'Thanh', 'Kim', 'Mỹ', 'Bích', 'Phương'];
const GIVEN_M = ['An', 'Bình', 'Cường', 'Dũng', 'Hải', 'Hùng', 'Khánh', 'Long', 'Nam', 'Phong', 'Quân', 'Sơn', 'Tài', 'Thắng', 'Toàn', 'Trung', 'Tuấn', 'Việt'];
const GIVEN_F = ['Anh', 'Chi', 'Dung', 'Giang', 'Hà', 'Hạnh', 'Hoa', 'Hương', 'Lan', 'Linh', 'Mai', 'Nga', 'Ngọc', 'Nhung', 'Oanh', 'Phương', 'Thảo', 'Trang', 'Vân', 'Yến'];
const HAMLETS = ['Thôn Đông', 'Thôn Tây', 'Thôn Trung', 'Thôn Bắc', 'Ấp 1', 'Ấp 2', 'Ấp 3', 'Khu phố 1', 'Khu phố 2', 'Khu phố 4'];
const STREETS = ['đường Lê Lợi', 'đường Trần Hưng Đạo', 'đường Nguyễn Trãi', 'đường Hai Bà Trưng', 'đường Quang Trung', 'đường 30 Tháng 4'];

/** A Vietnamese full name; `sex` picks the middle and given names. */
export function personName(rng: Rng, sex: 'male' | 'female' = rng.chance(0.5) ? 'male' : 'female'): string {
  const male = sex === 'male';
  return `${rng.pick(FAMILY)} ${rng.pick(male ? MIDDLE_M : MIDDLE_F)} ${rng.pick(male ? GIVEN_M : GIVEN_F)}`;
}

/** A street address in a commune or ward (by its display name, e.g. "xã An Phú"). */
export function address(rng: Rng, place: string): string {
  return rng.chance(0.5)
    ? `Số ${rng.int(1, 250)} ${rng.pick(STREETS)}, ${rng.pick(HAMLETS)}, ${place}, tỉnh Demo`
    : `${rng.pick(HAMLETS)}, ${place}, tỉnh Demo`;
}

/** A Vietnamese mobile number. */
export function phone(rng: Rng): string {
  return `0${rng.pick(['9', '8', '3', '7'])}${rng.digits(8)}`;
}
