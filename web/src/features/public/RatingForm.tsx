/** The citizen's rating once the result is returned: score 1–5 and a comment, sent with the second factor that opened the dossier. */
import { useMemo, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ErrorBox, Field } from '../../ui';
import { ratingState } from './words';
import type { LookupFactor, PublicDossier } from './types';

const SCORES = [5, 4, 3, 2, 1] as const;

export function RatingForm({ dossier, factor }: { dossier: PublicDossier; factor: LookupFactor }) {
  const { t } = useTranslation('public');
  const queryClient = useQueryClient();
  const [score, setScore] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const [missing, setMissing] = useState(false);
  // One key per form: a retry after a lost answer is not counted twice.
  const idempotencyKey = useMemo(() => crypto.randomUUID(), []);

  const send = useMutation({
    mutationFn: (body: { score: number; comment?: string }) => unwrap(api.POST('/api/public/dossiers/{id}/rating', {
      params: { path: { id: dossier.id }, header: { 'Idempotency-Key': idempotencyKey } },
      body: { ...body, ...factor },
    })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['public', 'dossier', dossier.id] }),
  });

  const state = ratingState(dossier);
  if (send.isSuccess) {
    return (
      <section className="card pub-rating" aria-labelledby="pub-rate">
        <h2 id="pub-rate">{t('rating.title')}</h2>
        <p className="pub-thanks" role="status">{t('rating.thanks')}</p>
      </section>
    );
  }
  if (state === 'none') return null;
  if (state === 'later') return <p className="muted">{t('rating.later')}</p>;
  if (state === 'rated') {
    return (
      <section className="card pub-rating" aria-labelledby="pub-rate">
        <h2 id="pub-rate">{t('rating.title')}</h2>
        <p>{t('rating.done', { score: dossier.rating, label: t(`rating.s${dossier.rating}`) })}</p>
      </section>
    );
  }

  return (
    <section className="card pub-rating" aria-labelledby="pub-rate">
      <h2 id="pub-rate">{t('rating.title')}</h2>
      <p className="muted">{t('rating.intro')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setMissing(score === null);
          if (score === null) return;
          send.mutate({
            score,
            ...(comment.trim() ? { comment: comment.trim() } : {}),
          });
        }}
      >
        <fieldset className="pub-scores" aria-describedby={missing ? 'pub-score-missing' : undefined}>
          <legend>{t('rating.score')}</legend>
          {SCORES.map((s) => (
            <label key={s} className="pub-score">
              <input type="radio" name="score" value={s} checked={score === s} onChange={() => { setScore(s); setMissing(false); }} />
              {s} – {t(`rating.s${s}`)}
            </label>
          ))}
          {missing && <small id="pub-score-missing" className="field-error" role="alert">{t('rating.chooseScore')}</small>}
        </fieldset>
        <Field label={t('rating.comment')}>
          {(id) => <textarea id={id} value={comment} maxLength={2000} rows={3} onChange={(e) => setComment(e.target.value)} />}
        </Field>
        <ErrorBox error={send.error} />
        <button type="submit" className="primary" disabled={send.isPending} aria-busy={send.isPending}>{t('rating.submit')}</button>
        {send.isPending && <span className="muted" role="status"> {t('rating.sending')}</span>}
      </form>
    </section>
  );
}
