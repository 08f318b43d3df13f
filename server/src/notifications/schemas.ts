/** Request pieces shared by this feature's routes: the dossier code and the public lookup's second factor. */
import Type from 'typebox';

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 60, description: 'The dossier code' }) });

export const FactorProps = {
  key: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'The token of the receipt\'s QR code (`k` in /tra-cuu/<code>?k=…)' })),
  last4: Type.Optional(Type.String({ pattern: '^[0-9]{4}$', description: 'The last 4 digits of the applicant\'s phone number or ID number' })),
  applicantId: Type.Optional(Type.String({ maxLength: 50, description: 'The applicant\'s whole ID number' })),
};
