import { describe, expect, it } from 'vitest';
import { toggleTopic } from './webhookTopics';

describe('topic choice', () => {
  it('should add and remove topics without repeats', () => {
    expect(toggleTopic(['dossier.notify'], 'dossier.notify', true)).toEqual(['dossier.notify']);
    expect(toggleTopic(['dossier.notify', 'dossier.overdue'], 'dossier.notify', false)).toEqual(['dossier.overdue']);
  });

  it('should let "everything" replace the list and a topic replace "everything"', () => {
    expect(toggleTopic(['dossier.notify'], '*', true)).toEqual(['*']);
    expect(toggleTopic(['*'], 'dossier.overdue', true)).toEqual(['dossier.overdue']);
  });
});
