/** Words of the desk screens. */
import type { Shape } from './common';

const vi = {
  title: 'desk',
};

const en: Shape<typeof vi> = {
  title: 'desk',
};

export default { vi, en };
