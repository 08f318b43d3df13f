import type { Api } from './api';

const toOpenApiPath = (p: string): string => p.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

const ErrorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'object', properties: { vi: { type: 'string' }, en: { type: 'string' } } },
        issues: { type: 'array', items: { type: 'object', properties: { path: { type: 'string', description: 'JSON pointer' }, message: { type: 'object' } } } },
      },
    },
  },
};

/** The OpenAPI 3.1 document, generated from the schemas the routes validate with. */
export function openApiDocument(api: Api, version: string, extra: { webhooks?: object } = {}): object {
  const paths: { [path: string]: { [method: string]: object } } = {};
  for (const { spec } of api.routes) {
    const path = toOpenApiPath(spec.path);
    const parameters: object[] = [];
    const props = (s: unknown): { [k: string]: object } => ((s as { properties?: { [k: string]: object } })?.properties ?? {});
    const required = (s: unknown): string[] => ((s as { required?: string[] })?.required ?? []);
    for (const [name, schema] of Object.entries(props(spec.params))) parameters.push({ name, in: 'path', required: true, schema });
    for (const [name, schema] of Object.entries(props(spec.query))) parameters.push({ name, in: 'query', required: required(spec.query).includes(name), schema });
    if (spec.method !== 'get') parameters.push({ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string' }, description: 'A retry with the same key returns the first answer' });
    const ok = String(spec.status ?? (spec.response || spec.produces ? 200 : 204));
    const responses: { [status: string]: object } = {
      [ok]: spec.produces
        ? { description: 'OK', content: { [spec.produces]: { schema: { type: 'string', format: 'binary' } } } }
        : spec.response ? { description: 'OK', content: { 'application/json': { schema: spec.response } } } : { description: 'Done' },
    };
    const auth: { [status: number]: string } = spec.access !== 'public' ? { 401: 'Not signed in', 403: 'Not allowed' } : {};
    const errors: { [status: number]: string } = { 400: 'Bad request', 422: 'Invalid input', ...auth, ...(spec.errors ?? {}) };
    for (const [status, description] of Object.entries(errors)) {
      responses[status] = { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
    }
    paths[path] ??= {};
    paths[path][spec.method] = {
      summary: spec.summary,
      tags: spec.tags,
      ...(spec.access === 'public' ? { security: [] } : {}),
      ...(Array.isArray(spec.access) || spec.description
        ? { description: [Array.isArray(spec.access) ? `Roles: ${spec.access.join(', ')}` : '', spec.description ?? ''].filter(Boolean).join('\n\n') }
        : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(spec.body ? { requestBody: { required: true, content: { 'application/json': { schema: spec.body } } } } : {}),
      ...(spec.multipart ? { requestBody: { required: true, content: { 'multipart/form-data': { schema: spec.multipart } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'motcua API', version, description: 'One-stop administrative procedures: catalog, dossiers, statistics, sync. Errors carry a code and a message in Vietnamese and English, with JSON pointers to the culprit.' },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } }, schemas: { Error: ErrorSchema } },
    paths,
    ...(extra.webhooks ? { webhooks: extra.webhooks } : {}),
  };
}
