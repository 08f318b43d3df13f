/** Shared words: navigation, buttons, statuses, errors. */
const vi = {
  app: { name: 'Một cửa', tagline: 'Giải quyết thủ tục hành chính' },
  nav: {
    inbox: 'Hồ sơ', intake: 'Tiếp nhận', designer: 'Thiết kế quy trình', catalog: 'Danh mục thủ tục',
    admin: 'Quản trị', payments: 'Thanh toán, thông báo', dashboard: 'Thống kê', lookup: 'Tra cứu hồ sơ', publicCatalog: 'Thủ tục hành chính',
    login: 'Đăng nhập', logout: 'Đăng xuất', language: 'Ngôn ngữ', skip: 'Bỏ qua, tới nội dung chính',
    myDossiers: 'Hồ sơ của tôi', officerLogin: 'Cán bộ đăng nhập', officerShort: 'Cán bộ', citizen: 'Công dân đã đăng nhập',
  },
  login: {
    title: 'Đăng nhập', username: 'Tên đăng nhập', password: 'Mật khẩu', submit: 'Đăng nhập',
    failed: 'Sai tên đăng nhập hoặc mật khẩu',
    sso: 'Đăng nhập bằng tài khoản định danh (SSO)',
    or: 'hoặc đăng nhập bằng tài khoản của hệ thống',
    passwordsOff: 'Cán bộ đăng nhập bằng tài khoản định danh; đăng nhập bằng mật khẩu đã tắt.',
    ssoUnlinked: 'Tài khoản định danh này chưa được liên kết với tài khoản cán bộ nào. Đề nghị quản trị hệ thống liên kết theo số định danh cá nhân.',
  },
  live: { connected: 'Đang cập nhật trực tiếp', disconnected: 'Mất kết nối, đang thử lại…' },
  action: {
    save: 'Lưu', cancel: 'Huỷ', close: 'Đóng', confirm: 'Xác nhận', delete: 'Xoá', edit: 'Sửa', add: 'Thêm',
    search: 'Tìm kiếm', back: 'Quay lại', next: 'Tiếp', retry: 'Thử lại', download: 'Tải về', print: 'In',
  },
  state: { loading: 'Đang tải…', empty: 'Không có dữ liệu', saved: 'Đã lưu', error: 'Có lỗi xảy ra' },
  role: { designer: 'Thiết kế quy trình', admin: 'Quản trị', desk: 'Một cửa', specialist: 'Chuyên viên', leader: 'Lãnh đạo' },
  status: {
    active: 'Đang xử lý', 'waiting-citizen': 'Chờ bổ sung', done: 'Đã kết thúc',
    'done/approved': 'Đã trả kết quả', 'done/rejected': 'Không giải quyết', 'done/refused': 'Từ chối tiếp nhận',
    'done/withdrawn': 'Đã rút', 'done/stopped': 'Dừng xử lý',
  },
  channel: { direct: 'Trực tiếp', online: 'Trực tuyến', postal: 'Bưu chính' },
  deadline: { overdue: 'Quá hạn', dueSoon: 'Sắp đến hạn', onTrack: 'Trong hạn', paused: 'Tạm dừng', none: 'Không thời hạn', left: 'còn {{span}} làm việc', overdueBy: 'quá hạn {{span}} làm việc', daysHours: '{{days}} ngày {{hours}} giờ', days: '{{count}} ngày', hours: '{{count}} giờ', minutes: '{{count}} phút' },
  notFound: 'Không tìm thấy trang',
};

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

const en: Shape<typeof vi> = {
  app: { name: 'One-stop', tagline: 'Administrative procedures' },
  nav: {
    inbox: 'Dossiers', intake: 'Intake', designer: 'Process designer', catalog: 'Catalog',
    admin: 'Administration', payments: 'Payments, notices', dashboard: 'Statistics', lookup: 'Track a dossier', publicCatalog: 'Procedures',
    login: 'Sign in', logout: 'Sign out', language: 'Language', skip: 'Skip to main content',
    myDossiers: 'My dossiers', officerLogin: 'Officer sign-in', officerShort: 'Officers', citizen: 'Signed-in citizen',
  },
  login: {
    title: 'Sign in', username: 'Username', password: 'Password', submit: 'Sign in',
    failed: 'Wrong username or password',
    sso: 'Sign in with your digital identity (SSO)',
    or: 'or sign in with a motcua account',
    passwordsOff: 'Officers sign in with their digital identity; password sign-in is turned off.',
    ssoUnlinked: 'This digital identity is linked to no officer account. Ask an administrator to link it by your personal ID number.',
  },
  live: { connected: 'Live', disconnected: 'Disconnected, retrying…' },
  action: {
    save: 'Save', cancel: 'Cancel', close: 'Close', confirm: 'Confirm', delete: 'Delete', edit: 'Edit', add: 'Add',
    search: 'Search', back: 'Back', next: 'Next', retry: 'Retry', download: 'Download', print: 'Print',
  },
  state: { loading: 'Loading…', empty: 'Nothing here', saved: 'Saved', error: 'Something went wrong' },
  role: { designer: 'Process designer', admin: 'Administrator', desk: 'Desk officer', specialist: 'Specialist', leader: 'Leader' },
  status: {
    active: 'In progress', 'waiting-citizen': 'Waiting for the citizen', done: 'Closed',
    'done/approved': 'Result returned', 'done/rejected': 'Not granted', 'done/refused': 'Refused at intake',
    'done/withdrawn': 'Withdrawn', 'done/stopped': 'Stopped',
  },
  channel: { direct: 'In person', online: 'Online', postal: 'By post' },
  deadline: { overdue: 'Overdue', dueSoon: 'Due soon', onTrack: 'On track', paused: 'Paused', none: 'No deadline', left: '{{span}} of working time left', overdueBy: 'overdue by {{span}} of working time', daysHours: '{{days}} d {{hours}} h', days: '{{count}} d', hours: '{{count}} h', minutes: '{{count}} min' },
  notFound: 'Page not found',
};

export default { vi, en };
export type { Shape };
