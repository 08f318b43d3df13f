/** Words of the designer screens. */
import type { Shape } from './common';

const vi = {
  title: 'designer',
};

const en: Shape<typeof vi> = {
  title: 'designer',
};

export default { vi, en };
