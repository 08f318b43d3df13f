import { describe, expect, it } from 'vitest';
import { channelKey, eventLabel } from './deliveryLog';

describe('the delivery log in words', () => {
  const names = [{ event: 'received', name: 'Đã tiếp nhận hồ sơ' }, { event: 'returned', name: 'Đã trả kết quả' }];

  it('should name the event as the templates do, not "received"', () => {
    expect(eventLabel('received', names)).toBe('Đã tiếp nhận hồ sơ');
    expect(eventLabel('returned', names)).toBe('Đã trả kết quả');
  });

  it('should keep the code of an event without a template rather than show nothing', () => {
    expect(eventLabel('custom-event', names)).toBe('custom-event');
  });

  it('should give the words of each channel the citizen may choose, not "sms"', () => {
    expect(channelKey('sms')).toBe('pay.sms');
    expect(channelKey('email')).toBe('pay.email');
    expect(channelKey('zalo')).toBe('pay.zalo');
    expect(channelKey('fax')).toBeNull();
  });
});
