/** The error-code registry (lib/errors.ts), compiled in by gateway/console-bundle.ts. */
declare const __ERROR_CODES__: Record<string, string>;

declare module '*.css';
