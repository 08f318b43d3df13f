/** Words of the public screens. */
import type { Shape } from './common';

const vi = {
  title: 'public',
};

const en: Shape<typeof vi> = {
  title: 'public',
};

export default { vi, en };
