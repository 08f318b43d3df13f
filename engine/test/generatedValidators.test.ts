import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validatorSources } from '../scripts/validators';
import { createAjv } from '../src/definition/ajv';
import { procedureSchema } from '../src/definition/schema';
import validateProcedure from '../src/definition/generated/procedure';

describe('precompiled validators (Ajv standalone, no eval at run time)', () => {
  it('should be current: regenerating gives the checked-in files byte for byte (npm run validators -w engine)', () => {
    for (const [file, code] of Object.entries(validatorSources())) {
      expect(readFileSync(new URL(`../src/definition/generated/${file}`, import.meta.url), 'utf8'), file).toBe(code);
    }
  });

  it('should judge a definition as the runtime-compiled schema does, errors included', () => {
    const compiled = createAjv({ discriminator: true }).compile(procedureSchema);
    const samples: unknown[] = [
      {}, { id: 'Bad Id', version: 0, steps: [] },
      { id: 'x', version: 1, catalog: {}, roles: [], initial: 'a', steps: [{ id: 'a', kind: 'task', name: { vi: '' }, actions: [{ id: 'go', label: { vi: 'Đi' }, effects: [{ type: 'assign' }] }] }] },
    ];
    for (const sample of samples) {
      const ok = compiled(sample);
      expect(validateProcedure(sample)).toBe(ok);
      expect((validateProcedure as unknown as { errors: unknown }).errors).toEqual(compiled.errors);
    }
  });

  it('should load under Node\'s own ESM loader too (tsx, as the server runs), where CommonJS interop differs from Vite\'s', () => {
    const script = `import { validateDefinition } from './engine/src/index.ts';
      import { readFileSync } from 'node:fs';
      const def = JSON.parse(readFileSync('procedures/dang-ky-khai-sinh/procedure.json', 'utf8'));
      process.stdout.write(JSON.stringify([validateDefinition(def).ok, validateDefinition({ id: 'X' }).issues.some((i) => i.path === '/version')]));`;
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([true, true]);
  });
});
