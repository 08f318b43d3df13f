/** A form rendered from a JSON Schema (intake data, action inputs) by rjsf, plainly styled, in the user's language. */
import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import Form from '@rjsf/core';
import { formValidator as validator } from '../../validation/forms';
import { englishStringTranslator, replaceStringParameters, TranslatableString, type CustomValidator, type ErrorSchema, type RJSFValidationError, type UiSchema } from '@rjsf/utils';
import { currentLang } from '../../i18n';
import { formUiSchema, localizeSchema, translateErrors, type ErrorTemplates } from './schemaForm';
import { DateWidget } from './DateWidget';
import './desk.css';

type FormValue = { [key: string]: unknown };

// Dates in dd/mm/yyyy whatever the browser's language (the native date input follows the browser).
const WIDGETS = { DateWidget };
// An optional list with `minItems` (a correction's papers) starts empty: pre-filling a blank item
// would make the officer fill or delete a field they never meant to touch.
const DEFAULTS = { arrayMinItems: { populate: 'requiredOnly' as const } };

interface Props {
  schema: unknown;
  formData: FormValue;
  onChange: (value: FormValue) => void;
  onSubmit: (value: FormValue) => void;
  /** Server issues placed on fields (see `issuesToErrorSchema`). */
  extraErrors?: ErrorSchema;
  uiSchema?: UiSchema;
  /** Checks JSON Schema cannot say in words of their own (the applicant's phone). */
  customValidate?: CustomValidator<FormValue>;
  disabled?: boolean;
  className?: string;
  /** Prefix of the field ids, so two forms on one page never share an id. */
  idPrefix?: string;
  /** The buttons; the first submit button submits (and validates) the form. */
  children: ReactNode;
}

export function SchemaForm({ schema, formData, onChange, onSubmit, extraErrors, uiSchema, customValidate, disabled, idPrefix = 'root', className, children }: Props) {
  const { i18n } = useTranslation('desk');
  const lang = currentLang();
  const localized = useMemo(() => localizeSchema(schema, lang), [schema, lang]);
  const ui = useMemo(() => ({ ...formUiSchema(localized), ...uiSchema }), [localized, uiSchema]);
  // Raw templates (with {{limit}} left in): the interpolation happens per error.
  const templates = (i18n.getResource(lang, 'desk', 'form') ?? i18n.getResource('vi', 'desk', 'form')) as ErrorTemplates;
  const rjsfWords = (i18n.getResource(lang, 'desk', 'rjsf') ?? {}) as { [k: string]: string };

  const translateString = (s: TranslatableString, params?: string[]): string => {
    const key = (Object.keys(TranslatableString) as (keyof typeof TranslatableString)[]).find((k) => TranslatableString[k] === s);
    const word = key ? rjsfWords[key] : undefined;
    return word ? replaceStringParameters(word, params) : englishStringTranslator(s, params);
  };

  return (
    <Form
      className={`schema-form${className ? ` ${className}` : ''}`}
      schema={localized}
      uiSchema={ui}
      formData={formData}
      validator={validator}
      widgets={WIDGETS}
      experimental_defaultFormStateBehavior={DEFAULTS}
      idPrefix={idPrefix}
      disabled={disabled}
      noHtml5Validate
      showErrorList={false}
      focusOnFirstError
      transformErrors={(errors: RJSFValidationError[]) => translateErrors(errors, templates)}
      translateString={translateString}
      {...(extraErrors ? { extraErrors } : {})}
      {...(customValidate ? { customValidate } : {})}
      onChange={(e) => onChange((e.formData ?? {}) as FormValue)}
      onSubmit={(e) => onSubmit((e.formData ?? {}) as FormValue)}
    >
      {children}
    </Form>
  );
}
