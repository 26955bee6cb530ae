import { execFileSync } from 'node:child_process';

/** Runs git and returns its trimmed output, or undefined when git fails (unknown ref, no repository). */
export type Git = (args: string[]) => string | undefined;

export const runGit: Git = (args) => {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
};

export type SchemaBase = { kind: 'ref'; ref: string; why: string } | { kind: 'skip'; why: string } | { kind: 'missing'; why: string };

const HOW_TO_FIX =
  'fetch the history (git fetch --unshallow, or a full clone), name the base with SCHEMA_BASE_REF=<ref>, or skip the check on purpose with SCHEMA_CHECK_SKIP=1';

/**
 * The revision a branch's schema is compared with: the merge base with the base branch (what was last
 * reviewed). On the base branch itself, the merge base is HEAD, so its first parent is used. A base
 * that cannot be found is a failure, not a pass: a shallow clone must not let breaking changes through.
 *
 * Environment: SCHEMA_BASE_REF (an explicit revision), SCHEMA_BASE_BRANCH (default origin/main, then
 * main), SCHEMA_CHECK_SKIP=1 (skip, said in the output).
 */
export function resolveSchemaBase(env: Record<string, string | undefined>, git: Git = runGit): SchemaBase {
  if (env.SCHEMA_CHECK_SKIP === '1') return { kind: 'skip', why: 'SCHEMA_CHECK_SKIP=1' };
  const hasSupergraph = (ref: string) => git(['cat-file', '-e', `${ref}:supergraph.graphql`]) !== undefined;
  if (env.SCHEMA_BASE_REF) {
    const ref = env.SCHEMA_BASE_REF;
    if (!git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]))
      return { kind: 'missing', why: `SCHEMA_BASE_REF=${ref} is not a revision of this repository: ${HOW_TO_FIX}` };
    if (!hasSupergraph(ref)) return { kind: 'missing', why: `${ref} has no supergraph.graphql: ${HOW_TO_FIX}` };
    return { kind: 'ref', ref, why: 'SCHEMA_BASE_REF' };
  }
  const head = git(['rev-parse', 'HEAD']);
  if (!head) return { kind: 'missing', why: `no git repository or no commit here: ${HOW_TO_FIX}` };
  const branches = env.SCHEMA_BASE_BRANCH ? [env.SCHEMA_BASE_BRANCH] : ['origin/main', 'main'];
  const branch = branches.find((b) => git(['rev-parse', '--verify', '--quiet', `${b}^{commit}`]));
  if (!branch) return { kind: 'missing', why: `no base branch (${branches.join(', ')}) to compare with: ${HOW_TO_FIX}` };
  const mergeBase = git(['merge-base', 'HEAD', branch]);
  if (!mergeBase) return { kind: 'missing', why: `HEAD and ${branch} share no history here: ${HOW_TO_FIX}` };
  if (mergeBase !== head) {
    if (!hasSupergraph(mergeBase))
      return { kind: 'missing', why: `the merge base ${mergeBase.slice(0, 12)} has no supergraph.graphql: ${HOW_TO_FIX}` };
    return { kind: 'ref', ref: mergeBase, why: `merge base with ${branch}` };
  }
  // HEAD is on the base branch: compare with what it was before this commit.
  const parent = git(['rev-parse', '--verify', '--quiet', 'HEAD~1^{commit}']);
  if (!parent) return { kind: 'missing', why: `HEAD is on ${branch} and has no parent commit here: ${HOW_TO_FIX}` };
  if (!hasSupergraph(parent))
    return { kind: 'missing', why: `the parent commit ${parent.slice(0, 12)} has no supergraph.graphql: ${HOW_TO_FIX}` };
  return { kind: 'ref', ref: parent, why: `HEAD is on ${branch}: its parent commit` };
}
