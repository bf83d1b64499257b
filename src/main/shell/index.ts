/** Electron main entry (out/main/index.js). Everything else lives in the modules beside it. */
import { createStudio } from '../api/studio.ts';
import { startShell } from './app-lifecycle.ts';

startShell({ createStudio });
