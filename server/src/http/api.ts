import type { Request, Response, Router } from 'express';
import type { Static, TSchema } from 'typebox';
import { check } from './validate';
import { authenticate, type Access, type AuthUser } from '../auth/middleware';
import type { Deps } from '../deps';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
/** `public` needs no token; `user` any signed-in user; a list: any of these roles (at some unit). */
export type { Access };

export interface RouteSpec<B extends TSchema | undefined, Q extends TSchema | undefined, P extends TSchema | undefined> {
  method: Method;
  /** Express-style path, e.g. `/api/dossiers/:id`. */
  path: string;
  summary: string;
  /** Longer Markdown for the OpenAPI document (a contract the summary cannot hold). */
  description?: string;
  tags: string[];
  access: Access;
  body?: B;
  query?: Q;
  params?: P;
  /** Schema of the 2xx JSON answer, for the OpenAPI document. */
  response?: TSchema;
  status?: number;
  /** Other answers worth documenting, e.g. `{ 409: 'Version conflict' }`. */
  errors?: { [status: number]: string };
  /** Non-JSON answer, e.g. `application/pdf`. */
  produces?: string;
  /**
   * A `multipart/form-data` body the handler parses itself (uploads): documented in OpenAPI,
   * not validated by the registry (a streamed file is not JSON).
   */
  multipart?: TSchema;
}

type Infer<S> = S extends TSchema ? Static<S> : undefined;

export interface HandlerContext<B, Q, P> {
  req: Request;
  res: Response;
  body: B;
  query: Q;
  params: P;
  /** The signed-in user; null on public routes without a token. */
  user: AuthUser | null;
}

export interface RegisteredRoute {
  spec: RouteSpec<TSchema | undefined, TSchema | undefined, TSchema | undefined>;
}

/**
 * A route table that registers on Express and remembers each route's schemas, so the
 * OpenAPI document is generated from the very schemas that validate requests.
 */
export class Api {
  readonly routes: RegisteredRoute[] = [];

  constructor(private readonly router: Router, private readonly deps: Deps) {}

  /** Registers a route: authenticate, authorise by role, validate params/query/body, run, answer JSON. */
  add<B extends TSchema | undefined = undefined, Q extends TSchema | undefined = undefined, P extends TSchema | undefined = undefined>(
    spec: RouteSpec<B, Q, P>,
    handler: (ctx: HandlerContext<Infer<B>, Infer<Q>, Infer<P>>) => Promise<unknown>,
  ): void {
    this.routes.push({ spec: spec as RegisteredRoute['spec'] });
    this.router[spec.method](spec.path, async (req, res) => {
      // Only file answers (GET with a non-JSON type) accept a download link.
      const user = await authenticate(req, this.deps, spec.access, spec.method === 'get' && spec.produces !== undefined);
      const params = (spec.params ? check(spec.params, { ...req.params }, 'params') : undefined) as Infer<P>;
      const query = (spec.query ? check(spec.query, { ...(req.query as object) }, 'query') : undefined) as Infer<Q>;
      const body = (spec.body ? check(spec.body, req.body ?? {}, 'body') : undefined) as Infer<B>;
      const result = await handler({ req, res, body, query, params, user });
      if (res.headersSent) return;
      if (result === undefined) res.status(spec.status ?? 204).end();
      else res.status(spec.status ?? 200).json(result);
    });
  }
}
