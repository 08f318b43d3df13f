/** Words of the national portal sync card (dashboard): share synced and sync lag per unit. */
import type { Shape } from './common';

const vi = {
  heading: 'Đồng bộ Cổng Dịch vụ công quốc gia',
  note: 'Tỷ lệ hồ sơ đồng bộ lên Cổng DVCQG (chỉ số công khai, minh bạch theo Quyết định 766/QĐ-TTg) và độ trễ đồng bộ, hồ sơ nộp trong 30 ngày qua.',
  notConnected: 'Chưa kết nối Cổng DVCQG.',
  empty: 'Chưa có hồ sơ trong 30 ngày qua.',
  unit: 'Đơn vị',
  dossiers: 'Hồ sơ',
  synced: 'Đã đồng bộ',
  share: 'Tỷ lệ',
  pending: 'Đang chờ gửi',
  failed: 'Lỗi',
  lagAvg: 'Độ trễ trung bình',
  lagMax: 'Độ trễ lớn nhất',
  seconds: '{{value}} giây',
};

const en: Shape<typeof vi> = {
  heading: 'National Public Service Portal sync',
  note: 'Share of dossiers synced to the national portal (a disclosure indicator of Decision 766/QĐ-TTg) and the sync lag, for dossiers submitted in the last 30 days.',
  notConnected: 'Not connected to the national portal.',
  empty: 'No dossiers in the last 30 days.',
  unit: 'Unit',
  dossiers: 'Dossiers',
  synced: 'Synced',
  share: 'Share',
  pending: 'Waiting',
  failed: 'Failed',
  lagAvg: 'Average lag',
  lagMax: 'Longest lag',
  seconds: '{{value}} s',
};

export default { vi, en };
