/**
 * A local payment gateway speaking VNPay's public payment URL / IPN protocol (version 2.1.0,
 * docs/payments.md), for the demo and the tests: a real HTTP server that checks the signed
 * payment URL it receives as VNPay does (signature, merchant, version, command, amount,
 * currency, dates, expiry), shows a small pay / cancel page, then sends the signed IPN to
 * the merchant and sends the browser back to the return URL. As VNPay, it takes a reference
 * (`vnp_TxnRef`) that was paid once for no other payment, and a payment pressed after the URL's
 * `vnp_ExpireDate` fails (`vnp_ResponseCode` 11) instead of succeeding. It can be told to make
 * payments fail, to hold IPNs back (late, sent on `flushLate`), to send each IPN twice, or
 * to send none. Nothing here is trusted by the server: it verifies what it receives.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { RESPONSE, parseVnpTime, signedQuery, verify, vnpTime } from '../payments/index';

export interface VnpaySimulatorOptions {
  tmnCode: string;
  hashSecret: string;
  /** The merchant's IPN address (motcua: <server>/api/payments/vnpay/ipn). */
  ipnUrl: string;
  port?: number;
  host?: string;
  /** The simulator's clock (tests pass their manual clock's). */
  now?: () => Date;
}

export type IpnMode = 'normal' | 'late' | 'duplicate' | 'none';

export interface IpnRecord { params: Record<string, string>; status: number | null; answer: unknown; error: string | null }

export interface VnpaySimulator {
  /** The payment page's address: what motcua's `payment.payUrl` is set to. */
  payUrl: string;
  /** Payments made from now on are declined by the bank (vnp_ResponseCode 51). */
  failPayments: boolean;
  ipnMode: IpnMode;
  /** Every IPN sent, with the merchant's answer. */
  readonly ipns: IpnRecord[];
  /** IPNs held back in "late" mode. */
  readonly held: Record<string, string>[];
  /** Sends the IPNs held back (late), in order. */
  flushLate(): Promise<IpnRecord[]>;
  /** Sends one IPN with these (already signed, or forged) parameters. */
  sendIpn(params: Record<string, string>): Promise<IpnRecord>;
  /** Signs result parameters as the gateway would (for replay tests that need a valid one). */
  signed(params: Record<string, string>): Record<string, string>;
  close(): Promise<void>;
}

interface Order { params: Record<string, string>; done: boolean }

const page = (title: string, body: string): string => `<!doctype html><html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title>
<style>body{font-family:sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem}button{font-size:1.1rem;padding:.5rem 1rem;margin:.25rem}</style>
</head><body>${body}</body></html>`;

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** What VNPay checks of a payment URL before it shows its page; null when it holds. */
function invalid(p: Record<string, string>, o: VnpaySimulatorOptions, now: Date): string | null {
  if (!verify(p, o.hashSecret)) return 'Sai chữ ký (vnp_SecureHash)';
  if (p['vnp_TmnCode'] !== o.tmnCode) return 'Mã website không tồn tại (vnp_TmnCode)';
  if (p['vnp_Version'] !== '2.1.0') return 'Phiên bản không hỗ trợ (vnp_Version)';
  if (p['vnp_Command'] !== 'pay') return 'Sai mã lệnh (vnp_Command)';
  if (!/^\d{1,12}$/.test(p['vnp_Amount'] ?? '') || Number(p['vnp_Amount']) % 100 !== 0 || Number(p['vnp_Amount']) <= 0) {
    return 'Số tiền không hợp lệ (vnp_Amount: số nguyên dương, đã nhân 100)';
  }
  if (p['vnp_CurrCode'] !== 'VND') return 'Chỉ hỗ trợ VND (vnp_CurrCode)';
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(p['vnp_TxnRef'] ?? '')) return 'Mã tham chiếu không hợp lệ (vnp_TxnRef)';
  if (!p['vnp_OrderInfo'] || !p['vnp_ReturnUrl'] || !p['vnp_IpAddr'] || !p['vnp_Locale']) return 'Thiếu tham số bắt buộc';
  const created = parseVnpTime(p['vnp_CreateDate'] ?? '');
  const expires = parseVnpTime(p['vnp_ExpireDate'] ?? '');
  if (!created) return 'Sai định dạng vnp_CreateDate';
  // Required in 2.1.0 (VNPay's parameter table): a URL that never expires would be payable forever.
  if (!expires) return 'Thiếu hoặc sai định dạng vnp_ExpireDate';
  if (expired(p, now)) return EXPIRED;
  return null;
}

const EXPIRED = 'Giao dịch đã quá thời gian chờ thanh toán (vnp_ExpireDate)';
const ALREADY_PAID = 'Giao dịch đã tồn tại: mã tham chiếu này đã được thanh toán (vnp_TxnRef)';

/** Whether the URL's `vnp_ExpireDate` has passed (checked again when the customer presses pay). */
function expired(p: Record<string, string>, now: Date): boolean {
  const expires = parseVnpTime(p['vnp_ExpireDate'] ?? '');
  return !expires || expires.getTime() < now.getTime();
}

/** The gateway's error page (HTTP 400) with the reason; no transaction is made. */
function refuse(res: ServerResponse, why: string): void {
  res.writeHead(400, { 'Content-Type': 'text/html; charset=utf-8' }).end(page('Lỗi giao dịch', `<h1>Giao dịch không hợp lệ</h1><p id="error">${esc(why)}</p>`));
}

async function body(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8').slice(0, 10_000));
}

export async function startVnpaySimulator(o: VnpaySimulatorOptions): Promise<VnpaySimulator> {
  const now = o.now ?? (() => new Date());
  const orders = new Map<string, Order>();
  /**
   * References paid (`vnp_TxnRef`, successful transactions). VNPay keeps a reference for one
   * transaction: its URL opened again (a second tab, the browser's back button, a replayed
   * link) is refused, not paid twice.
   */
  const paid = new Set<string>();
  const ipns: IpnRecord[] = [];
  const held: Record<string, string>[] = [];
  let transactionNo = 14_000_000;

  const sendIpn = async (params: Record<string, string>): Promise<IpnRecord> => {
    const url = `${o.ipnUrl}?${new URLSearchParams(params).toString()}`;
    const record: IpnRecord = { params, status: null, answer: null, error: null };
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      record.status = res.status;
      const text = await res.text();
      try { record.answer = JSON.parse(text); } catch { record.answer = text; }
    } catch (e) {
      record.error = (e as Error).message;
    }
    ipns.push(record);
    return record;
  };

  const signed = (params: Record<string, string>): Record<string, string> => {
    const q = new URLSearchParams(signedQuery(params, o.hashSecret));
    return Object.fromEntries(q.entries());
  };

  const sim: VnpaySimulator = {
    payUrl: '', failPayments: false, ipnMode: 'normal', ipns, held, sendIpn, signed,
    flushLate: async () => {
      const out: IpnRecord[] = [];
      for (const p of held.splice(0)) out.push(await sendIpn(p));
      return out;
    },
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(() => resolve()); }),
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://sim');
    if (req.method === 'GET' && url.pathname === '/paymentv2/vpcpay.html') {
      const p = Object.fromEntries(url.searchParams.entries());
      const why = invalid(p, o, now()) ?? (paid.has(p['vnp_TxnRef']!) ? ALREADY_PAID : null);
      if (why) {
        refuse(res, why);
        return;
      }
      const token = randomUUID();
      orders.set(token, { params: p, done: false });
      const amount = (Number(p['vnp_Amount']) / 100).toLocaleString('vi-VN');
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page('Cổng thanh toán (mô phỏng VNPay)', `
<h1>Cổng thanh toán mô phỏng</h1>
<p>Đơn vị: <b>${esc(o.tmnCode)}</b></p>
<p>Nội dung: <b id="order-info">${esc(p['vnp_OrderInfo']!)}</b></p>
<p>Số tiền: <b id="amount">${amount} VND</b></p>
<form method="post" action="/paymentv2/complete"><input type="hidden" name="t" value="${token}">
<button name="action" value="pay">Thanh toán</button> <button name="action" value="cancel">Hủy giao dịch</button></form>`));
      return;
    }
    if (req.method === 'POST' && url.pathname === '/paymentv2/complete') {
      const form = await body(req);
      const order = orders.get(form.get('t') ?? '');
      if (!order || order.done) {
        res.writeHead(400, { 'Content-Type': 'text/html; charset=utf-8' }).end(page('Lỗi giao dịch', '<h1>Giao dịch không tồn tại hoặc đã xử lý</h1>'));
        return;
      }
      order.done = true;
      const p = order.params;
      // Paid meanwhile from another page of the same URL: refused, no transaction, no notice.
      if (paid.has(p['vnp_TxnRef']!)) {
        refuse(res, ALREADY_PAID);
        return;
      }
      const cancelled = form.get('action') !== 'pay';
      // The page was shown in time but pressed too late: the transaction fails as timed out (11).
      const code = cancelled ? RESPONSE.cancelled : expired(p, now()) ? RESPONSE.expired : sim.failPayments ? RESPONSE.failed : RESPONSE.success;
      if (code === RESPONSE.success) paid.add(p['vnp_TxnRef']!);
      const result = signed({
        vnp_TmnCode: o.tmnCode, vnp_Amount: p['vnp_Amount']!, vnp_BankCode: 'NCB', vnp_BankTranNo: `VNP${++transactionNo}`, vnp_CardType: 'ATM',
        vnp_PayDate: vnpTime(now()), vnp_OrderInfo: p['vnp_OrderInfo']!, vnp_TransactionNo: String(transactionNo), vnp_ResponseCode: code,
        vnp_TransactionStatus: code === RESPONSE.success ? '00' : '02', vnp_TxnRef: p['vnp_TxnRef']!,
      });
      // The gateway tells the merchant's server first (IPN), then sends the browser back.
      if (sim.ipnMode === 'late') held.push(result);
      else if (sim.ipnMode !== 'none') {
        await sendIpn(result);
        if (sim.ipnMode === 'duplicate') await sendIpn(result);
      }
      res.writeHead(302, { Location: `${p['vnp_ReturnUrl']}?${new URLSearchParams(result).toString()}` }).end();
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => { if (!res.headersSent) res.writeHead(500).end(String(e)); });
  });
  await new Promise<void>((resolve) => server.listen(o.port ?? 0, o.host ?? '127.0.0.1', resolve));
  const addr = server.address() as AddressInfo;
  sim.payUrl = `http://${o.host ?? '127.0.0.1'}:${addr.port}/paymentv2/vpcpay.html`;
  return sim;
}
