/** Words of online payment (the citizen's pay and result pages), the reconciliation and the notification templates. */
import type { Shape } from './common';

const vi = {
  pay: {
    title: 'Nộp phí, lệ phí hồ sơ {{code}}', intro: 'Thanh toán trực tuyến qua cổng thanh toán. Biên lai điện tử được lập khi cổng thanh toán xác nhận.',
    factorTitle: 'Xác minh người nộp', last4: '4 số cuối số điện thoại hoặc số giấy tờ của người nộp', check: 'Xem khoản phải nộp',
    fees: 'Các khoản phí, lệ phí', fee: 'Khoản thu', amount: 'Số tiền', total: 'Tổng cộng', nothing: 'Hồ sơ không có khoản phí, lệ phí phải nộp.',
    paid: 'Hồ sơ đã được thanh toán.', payNow: 'Thanh toán {{amount}}', going: 'Đang chuyển sang cổng thanh toán…',
    history: 'Các lần thanh toán', when: 'Thời điểm', status: 'Trạng thái', receipt: 'Biên lai', openReceipt: 'Xem biên lai (PDF)',
    notFound: 'Không tìm thấy hồ sơ với thông tin xác minh đã nhập.',
    link: 'Phí, lệ phí và thanh toán trực tuyến', notify: 'Nhận thông báo qua', email: 'Thư điện tử', sms: 'Tin nhắn SMS', zalo: 'Zalo', saveChannels: 'Lưu lựa chọn', saved: 'Đã lưu: {{channels}}',
    notifyNeedsKey: 'Muốn đổi cách nhận thông báo, hãy mở trang này bằng mã QR trên giấy tiếp nhận hồ sơ, hoặc đăng nhập "Hồ sơ của tôi"; 4 số cuối chỉ dùng để tra cứu và nộp phí.', notifySignedIn: 'Đổi trong "Hồ sơ của tôi"',
  },
  status: { pending: 'Chờ thanh toán', paid: 'Đã thanh toán', failed: 'Không thành công', cancelled: 'Đã huỷ', refunded: 'Đã hoàn trả' },
  method: { online: 'Trực tuyến', cash: 'Tiền mặt tại Bộ phận Một cửa' },
  desk: {
    title: 'Phí, lệ phí', unpaid: 'Chưa nộp', method: 'Hình thức', by: 'người thu: {{name}}', record: 'Ghi nhận nộp tiền mặt',
    confirm: 'Xác nhận đã thu {{amount}} tiền mặt của người nộp cho hồ sơ {{code}}?',
    effects: 'Biên lai điện tử được lập ngay; yêu cầu thanh toán trực tuyến chưa hoàn tất (nếu có) bị huỷ, và nếu công dân vẫn thanh toán trực tuyến sau đó thì khoản đó được hoàn trả.',
    confirmButton: 'Đã thu tiền, lập biên lai', recorded: 'Đã ghi nhận nộp tiền mặt {{amount}}, biên lai số {{number}}',
  },
  result: {
    title: 'Kết quả thanh toán', checking: 'Đang chờ xác nhận của cổng thanh toán…', paid: 'Thanh toán thành công',
    failed: 'Thanh toán không thành công',
    cancelled: 'Bạn đã hủy thanh toán tại cổng thanh toán',
    refused: 'Ngân hàng hoặc cổng thanh toán đã từ chối giao dịch',
    expired: 'Đã hết thời gian thanh toán của giao dịch này',
    reason: 'Lý do: {{reason}} (mã {{code}}).',
    pendingSuccess: 'Cổng thanh toán báo đã trừ tiền; đang chờ xác nhận chính thức.',
    dossier: 'Hồ sơ', amount: 'Số tiền', reference: 'Số biên lai', back: 'Về trang hồ sơ', again: 'Thanh toán lại',
  },
  reconcile: {
    title: 'Đối soát thanh toán', from: 'Từ ngày', to: 'Đến ngày', unit: 'Đơn vị (mã, để trống: tất cả)', show: 'Xem',
    day: 'Ngày', unitName: 'Đơn vị', total: 'Tổng', count: '{{count}} giao dịch', none: 'Không có giao dịch trong kỳ.', payments: 'Các giao dịch',
    reference: 'Mã giao dịch', dossier: 'Hồ sơ', reason: 'Lý do hoàn trả', cash: 'Trong đó tiền mặt', method: 'Hình thức',
  },
  templates: {
    title: 'Mẫu thông báo cho công dân', intro: 'Chỉ dùng các trường dưới đây; thông báo không chứa họ tên, số giấy tờ, địa chỉ hay tên thủ tục.',
    event: 'Sự kiện', subject: 'Tiêu đề', body: 'Nội dung', edit: 'Sửa', save: 'Lưu', reset: 'Về mẫu mặc định', cancel: 'Huỷ',
    custom: 'Đã sửa', default: 'Mặc định', placeholders: 'Các trường dùng được', log: 'Nhật ký gửi thông báo', channel: 'Kênh',
    recipient: 'Người nhận', attempts: 'Lần gửi', error: 'Lỗi', dossier: 'Hồ sơ', sentAt: 'Gửi lúc', noLog: 'Chưa có thông báo nào.',
    editing: 'Sửa mẫu: {{name}}',
  },
  delivery: { pending: 'Chờ gửi', sent: 'Đã gửi', failed: 'Lỗi' },
};

const en: Shape<typeof vi> = {
  pay: {
    title: 'Fees of dossier {{code}}', intro: 'Pay online through the payment gateway. The electronic receipt is made once the gateway confirms.',
    factorTitle: 'Verify the applicant', last4: 'Last 4 digits of the applicant\'s phone or ID number', check: 'Show what is due',
    fees: 'Fees and charges', fee: 'Item', amount: 'Amount', total: 'Total', nothing: 'This dossier owes no fee.',
    paid: 'This dossier is paid.', payNow: 'Pay {{amount}}', going: 'Going to the payment gateway…',
    history: 'Payments', when: 'When', status: 'Status', receipt: 'Receipt', openReceipt: 'Open the receipt (PDF)',
    notFound: 'No dossier with the verification details given.',
    link: 'Fees and online payment', notify: 'Be told by', email: 'Email', sms: 'SMS', zalo: 'Zalo', saveChannels: 'Save my choice', saved: 'Saved: {{channels}}',
    notifyNeedsKey: 'To change how you are told, open this page from the QR code on your receipt, or sign in to "My dossiers"; the last 4 digits only let you look up and pay.', notifySignedIn: 'Change it in "My dossiers"',
  },
  status: { pending: 'Awaiting payment', paid: 'Paid', failed: 'Failed', cancelled: 'Cancelled', refunded: 'Refunded' },
  method: { online: 'Online', cash: 'Cash at the one-stop desk' },
  desk: {
    title: 'Fees and charges', unpaid: 'Not paid', method: 'Method', by: 'collected by {{name}}', record: 'Record a cash payment',
    confirm: 'Confirm that {{amount}} was received in cash from the applicant for dossier {{code}}?',
    effects: 'The electronic receipt is made at once; an online payment request still open is cancelled, and if the citizen pays it online all the same, that payment is refunded.',
    confirmButton: 'Cash received, make the receipt', recorded: 'Cash payment of {{amount}} recorded, receipt {{number}}',
  },
  result: {
    title: 'Payment result', checking: 'Waiting for the gateway\'s confirmation…', paid: 'Payment successful',
    failed: 'Payment not completed',
    cancelled: 'You cancelled the payment at the gateway',
    refused: 'The bank or the payment gateway refused the payment',
    expired: 'The time to pay this transaction ran out',
    reason: 'Reason: {{reason}} (code {{code}}).',
    pendingSuccess: 'The gateway says the money was taken; waiting for its formal confirmation.',
    dossier: 'Dossier', amount: 'Amount', reference: 'Receipt number', back: 'Back to the dossier', again: 'Pay again',
  },
  reconcile: {
    title: 'Payment reconciliation', from: 'From', to: 'To', unit: 'Unit (code; empty: all)', show: 'Show',
    day: 'Day', unitName: 'Unit', total: 'Total', count: '{{count}} payments', none: 'No payment in the period.', payments: 'Payments',
    reference: 'Reference', dossier: 'Dossier', reason: 'Refund reason', cash: 'Of which cash', method: 'Method',
  },
  templates: {
    title: 'Citizen notification templates', intro: 'Use only the fields below; messages carry no name, ID number, address or procedure name.',
    event: 'Event', subject: 'Subject', body: 'Text', edit: 'Edit', save: 'Save', reset: 'Back to default', cancel: 'Cancel',
    custom: 'Edited', default: 'Default', placeholders: 'Fields you may use', log: 'Delivery log', channel: 'Channel',
    recipient: 'Recipient', attempts: 'Attempts', error: 'Error', dossier: 'Dossier', sentAt: 'Sent at', noLog: 'No notification yet.',
    editing: 'Edit template: {{name}}',
  },
  delivery: { pending: 'Pending', sent: 'Sent', failed: 'Failed' },
};

export default { vi, en };
