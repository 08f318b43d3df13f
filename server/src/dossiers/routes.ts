import type { Router } from 'express';
import type { Api } from '../http/api';
import type { Deps } from '../deps';

/** Dossier lifecycle routes. */
export function dossierRoutes(_api: Api, _router: Router, _deps: Deps): void {}
