/**
 * i18next with one namespace per part of the app, each in its own file, so parts are
 * translated side by side. Vietnamese by default; the choice is kept in localStorage.
 */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import common from './common';
import designer from './designer';
import desk from './desk';
import admin from './admin';
import dashboard from './dashboard';
import publicPages from './public';
import citizen from './citizen';
import portal from './portal';
import papers from './papers';
import esign from './esign';
import payments from './payments';
import type { Bilingual } from '../api/client';

export type Lang = 'vi' | 'en';
const LANG_KEY = 'motcua.lang';

const namespaces = { common, designer, desk, admin, dashboard, public: publicPages, citizen, portal, papers, esign, payments };

const stored = typeof localStorage === 'undefined' ? null : localStorage.getItem(LANG_KEY);
const initial: Lang = stored === 'en' ? 'en' : 'vi';

void i18n.use(initReactI18next).init({
  lng: initial,
  fallbackLng: 'vi',
  defaultNS: 'common',
  ns: Object.keys(namespaces),
  resources: {
    vi: Object.fromEntries(Object.entries(namespaces).map(([ns, m]) => [ns, m.vi])),
    en: Object.fromEntries(Object.entries(namespaces).map(([ns, m]) => [ns, m.en])),
  },
  interpolation: { escapeValue: false },
  returnNull: false,
});

export const setLang = (lang: Lang): void => {
  localStorage.setItem(LANG_KEY, lang);
  document.documentElement.lang = lang;
  void i18n.changeLanguage(lang);
};

export const currentLang = (): Lang => (i18n.language === 'en' ? 'en' : 'vi');

/** Picks the current language from a bilingual text (server messages, definition labels). */
export const pick = (text: Bilingual | string | null | undefined, lang: Lang = currentLang()): string => {
  if (text == null) return '';
  if (typeof text === 'string') return text;
  return (lang === 'en' ? text.en : undefined) ?? text.vi;
};

export default i18n;
