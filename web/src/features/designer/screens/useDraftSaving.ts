/** Saving the draft, publishing it (through the shared dialog), starting a new draft, importing a file. */
import { useCallback, type Dispatch } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { ProcedureDefinition } from '@motcua/engine';
import { formatDate } from '../../../ui/format';
import { asDefinition, createDraft, readJsonFile, saveDraft } from '../api';
import type { Command, EditorAction } from '../model/commands';

export function useDraftSaving({ procedureId, version, def, dirty, readOnly, dispatch, exec, setNotice, published }: {
  procedureId: string; version: number; def: ProcedureDefinition; dirty: boolean; readOnly: boolean;
  dispatch: Dispatch<EditorAction>; exec: (c: Command) => void; setNotice: (n: string | null) => void;
  /** Called once the version is published (the dialog closes, the editor turns read-only). */
  published: () => void;
}) {
  const { t } = useTranslation('designer');
  const navigate = useNavigate();
  const queryClient = useQueryClient();

  const save = useMutation({
    mutationFn: async (definition: ProcedureDefinition) => ({ sent: definition, saved: await saveDraft(procedureId, version, definition) }),
    onSuccess: async ({ sent, saved }) => {
      dispatch({ type: 'saved', definition: sent });
      setNotice(saved.warnings.length > 0 ? t('editor.savedWarnings', { count: saved.warnings.length }) : t('editor.saved'));
      await queryClient.invalidateQueries({ queryKey: ['procedures'] });
    },
  });
  const saveNow = useCallback(() => { if (!readOnly && !save.isPending) save.mutate(def); }, [readOnly, save, def]);
  // The one publish dialog (shared with the catalog screen) saves unsaved edits first.
  const beforePublish = useCallback(async () => {
    if (!dirty) return;
    await saveDraft(procedureId, version, def);
    dispatch({ type: 'saved', definition: def });
  }, [dirty, procedureId, version, def, dispatch]);
  const onPublished = useCallback((r: { version: number; effectiveFrom: string | null }) => {
    published();
    setNotice(t('publish.done', { version: r.version, date: formatDate(r.effectiveFrom) }));
  }, [t, published, setNotice]);
  const newDraft = useMutation({
    mutationFn: () => createDraft(procedureId, version),
    onSuccess: async (d) => {
      await queryClient.invalidateQueries({ queryKey: ['procedures'] });
      await navigate(`/designer/${encodeURIComponent(procedureId)}/${d.version}`);
    },
  });

  const importFile = async (file: File) => {
    try {
      const parsed = asDefinition(await readJsonFile(file));
      // The slot decides id and version; the file brings everything else.
      exec({ type: 'definition.replace', definition: { ...parsed, id: procedureId, version } });
      setNotice(t('editor.importDone'));
    } catch (err) {
      setNotice(t('list.badJson', { error: err instanceof Error ? err.message : String(err) }));
    }
  };

  return { save, saveNow, beforePublish, onPublished, newDraft, importFile };
}
