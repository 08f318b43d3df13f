/** The payments' front door for the simulator and the tests: VNPay's protocol (signing and checking). */
export { IPN, RESPONSE, VNP_VERSION, formEncode, parseVnpTime, sign, signedQuery, signedText, verify, vnpParams, vnpTime } from './vnpay';
