/** PathAccess: only the library, the recent list and dialog-granted paths may be touched. */
import { mkdir, realpath, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PathAccess } from '../../../src/main/api/path-access.ts';
import { ApiError } from '../../../src/shared/api/errors.ts';
import { useTmpDirs } from '../../helpers/tmp-dir.ts';

const tmpDir = useTmpDirs('splat-path-access');

/** A real folder layout: root/library (the project library) and root/outside. */
async function layout() {
  const root = await realpath(await tmpDir());
  const library = join(root, 'library');
  const outside = join(root, 'outside');
  await mkdir(library);
  await mkdir(outside);
  await writeFile(join(library, 'mine.splatproj'), 'x');
  await writeFile(join(outside, 'secret.splatproj'), 'x');
  return { root, library, outside };
}

function denied(access: PathAccess, path: string): ApiError {
  try {
    access.check(path);
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error(`${path} was allowed`);
}

describe('PathAccess', () => {
  it('allows files inside the library, existing or not, and in sub-folders', async () => {
    const { library } = await layout();
    const access = new PathAccess(library, () => []);
    expect(access.check(join(library, 'mine.splatproj'))).toBe(join(library, 'mine.splatproj'));
    expect(access.check(join(library, 'new.splatproj'))).toBe(join(library, 'new.splatproj'));
    expect(access.check(join(library, 'not', 'yet', 'made.splatproj'))).toBe(join(library, 'not', 'yet', 'made.splatproj'));
    // A name that merely starts with two dots is still inside.
    expect(access.check(join(library, '..draft.splatproj'))).toBe(join(library, '..draft.splatproj'));
  });

  it('refuses the library folder itself, `library/../x`, and a sibling folder sharing its prefix', async () => {
    const { root, library, outside } = await layout();
    await mkdir(`${library}-evil`);
    const access = new PathAccess(library, () => []);
    for (const path of [library, join(library, '..', 'outside', 'secret.splatproj'), `${library}/../outside/secret.splatproj`, join(outside, 'secret.splatproj'), join(`${library}-evil`, 'a.splatproj'), root]) {
      const error = denied(access, path);
      expect(error.code).toBe('ACCESS_DENIED');
      expect(error.details).toEqual({ path });
      expect(error.message).toContain(path);
    }
  });

  it('refuses a symlink in the library that points outside, and paths through a linked folder', async () => {
    const { library, outside } = await layout();
    await symlink(join(outside, 'secret.splatproj'), join(library, 'link.splatproj'));
    await symlink(outside, join(library, 'linked-dir'));
    const access = new PathAccess(library, () => []);
    expect(denied(access, join(library, 'link.splatproj')).code).toBe('ACCESS_DENIED');
    expect(denied(access, join(library, 'linked-dir', 'secret.splatproj')).code).toBe('ACCESS_DENIED');
    expect(denied(access, join(library, 'linked-dir', 'new.splatproj')).code).toBe('ACCESS_DENIED');
  });

  it('allows a symlink in the library that points inside it, answering the resolved path', async () => {
    const { library } = await layout();
    await symlink(join(library, 'mine.splatproj'), join(library, 'alias.splatproj'));
    expect(new PathAccess(library, () => []).check(join(library, 'alias.splatproj'))).toBe(join(library, 'mine.splatproj'));
  });

  it('resolves a library given through a symlink', async () => {
    const { root, library } = await layout();
    await symlink(library, join(root, 'library-link'));
    const access = new PathAccess(join(root, 'library-link'), () => []);
    expect(access.check(join(library, 'mine.splatproj'))).toBe(join(library, 'mine.splatproj'));
  });

  it('allows exactly the paths on the recent list, read fresh on every check', async () => {
    const { outside } = await layout();
    const recent: string[] = [];
    const access = new PathAccess(join(outside, 'no-library'), () => recent);
    const secret = join(outside, 'secret.splatproj');
    expect(denied(access, secret).code).toBe('ACCESS_DENIED');
    recent.push(`${outside}/./secret.splatproj`);
    expect(access.check(secret)).toBe(secret);
    expect(denied(access, join(outside, 'other.splatproj')).code).toBe('ACCESS_DENIED');
    recent.length = 0;
    expect(denied(access, secret).code).toBe('ACCESS_DENIED');
  });

  it('allows granted paths, and only those', async () => {
    const { outside } = await layout();
    const access = new PathAccess(join(outside, 'no-library'), () => []);
    const chosen = join(outside, 'chosen.splatproj');
    expect(denied(access, chosen).code).toBe('ACCESS_DENIED');
    access.grant(chosen);
    expect(access.check(chosen)).toBe(chosen);
    expect(access.check(join(outside, 'x', '..', 'chosen.splatproj'))).toBe(chosen);
    expect(denied(access, join(outside, 'chosen.splatproj2')).code).toBe('ACCESS_DENIED');
  });

  it('keeps a granted file that does not exist directly under the root as it is', () => {
    // Regression: canonical() cut one character too many when the parent was '/'.
    const access = new PathAccess('/nonexistent-splat-library', () => []);
    access.grant('/splat-test-never-created.splatproj');
    expect(access.check('/splat-test-never-created.splatproj')).toBe('/splat-test-never-created.splatproj');
    expect(denied(access, '/xsplat-test-never-created.splatproj').code).toBe('ACCESS_DENIED');
  });
});
