/** Words of the admin screens. */
import type { Shape } from './common';

const vi = {
  title: 'admin',
};

const en: Shape<typeof vi> = {
  title: 'admin',
};

export default { vi, en };
