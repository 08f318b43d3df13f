/** Words of the dashboard screens. */
import type { Shape } from './common';

const vi = {
  title: 'dashboard',
};

const en: Shape<typeof vi> = {
  title: 'dashboard',
};

export default { vi, en };
