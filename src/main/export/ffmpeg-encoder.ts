/**
 * One ffmpeg process fed raw frames on stdin (issue 7, item 3). `write` resolves once ffmpeg's pipe
 * has taken the bytes (the stream's write callback), so the caller may reuse its buffer then;
 * `ready` waits while the pipe is full ('drain'), so a slow encoder holds the renderer back rather
 * than frames piling up in memory. `abort` kills ffmpeg at any moment. Failures become ApiErrors a
 * creator can act on: ffmpeg missing (the configured path or PATH named), disk full, a folder that
 * cannot be written, or ffmpeg's own first error line.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { ApiError } from '../../shared/api/errors.ts';
import { ffmpegPath, INSTALL_FFMPEG_HINT } from '../media/tool-paths.ts';

const STDERR_KEEP = 8000;

/** The error for an ffmpeg that could not be started. */
export function missingFfmpegError(path: string = ffmpegPath()): ApiError {
  const where = process.env.SPLAT_STUDIO_FFMPEG ? `the configured path SPLAT_STUDIO_FFMPEG=${path}` : `"${path}" on PATH`;
  return new ApiError('MISSING_TOOL', `ffmpeg was not found (${where}). ${INSTALL_FFMPEG_HINT}, or set SPLAT_STUDIO_FFMPEG to its path.`, { path });
}

/** ffmpeg's stderr as the error a creator sees; `output` names the file being written. */
export function ffmpegFailure(stderr: string, exit: string, output: string): ApiError {
  const text = stderr.trim();
  if (/No space left on device|ENOSPC|Disk quota exceeded/i.test(text)) {
    return new ApiError('DISK_FULL', `The disk holding ${output} is full. Free some space and export again.`, { path: output });
  }
  if (/Permission denied|Read-only file system/i.test(text)) {
    return new ApiError('READ_ONLY', `Cannot write ${output}: the folder is read-only or not accessible. Choose another folder.`, { path: output });
  }
  const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
  return new ApiError('INTERNAL', `ffmpeg failed (${exit})${line ? `: ${line.slice(0, 300)}` : ''}`);
}

export class FfmpegEncoder {
  private readonly child: ChildProcessByStdio<Writable, null, Readable>;
  private readonly output: string;
  private stderr = '';
  private failure: ApiError | null = null;
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private killed = false;

  constructor(args: string[], output: string) {
    this.output = output;
    const path = ffmpegPath();
    this.child = spawn(path, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (chunk: string) => {
      if (this.stderr.length < STDERR_KEEP) this.stderr += chunk.slice(0, STDERR_KEEP - this.stderr.length);
    });
    // EPIPE when ffmpeg dies first: the exit code and stderr tell why.
    this.child.stdin.on('error', () => undefined);
    this.exited = new Promise((resolve) => {
      this.child.once('error', (error: NodeJS.ErrnoException) => {
        this.failure ??= error.code === 'ENOENT' || error.code === 'EACCES' ? missingFfmpegError(path) : new ApiError('INTERNAL', `ffmpeg could not start: ${error.message}`);
        resolve({ code: null, signal: null });
      });
      this.child.once('close', (code, signal) => resolve({ code, signal }));
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Hands one frame to ffmpeg; resolves when the pipe no longer needs `bytes`. */
  write(bytes: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      if (this.child.stdin.destroyed || this.killed) return reject(this.failure ?? new ApiError('INTERNAL', 'ffmpeg stopped taking frames'));
      // A failed write means ffmpeg stopped reading: its exit status and stderr say why.
      this.child.stdin.write(bytes, (error) => (error ? void this.exited.then(() => reject(this.failure ?? this.exitError())) : resolve()));
    });
  }

  /** Resolves when the pipe has room again (immediately unless a write filled it). */
  async ready(): Promise<void> {
    const stdin = this.child.stdin;
    if (!stdin.writableNeedDrain) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        stdin.off('drain', done);
        stdin.off('close', done);
        resolve();
      };
      stdin.on('drain', done);
      stdin.on('close', done);
    });
  }

  /** Ends the input and waits for ffmpeg to finish the file; rejects with the reason it failed. */
  async finish(): Promise<void> {
    this.child.stdin.end();
    const { code, signal } = await this.exited;
    if (this.failure) throw this.failure;
    if (code !== 0) throw this.exitError(code, signal);
  }

  /** Kills ffmpeg (SIGKILL: nothing it would still write is wanted) and waits for it to go. */
  async abort(): Promise<void> {
    this.killed = true;
    this.child.stdin.destroy();
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }

  private exitError(code: number | null = this.child.exitCode, signal: NodeJS.Signals | null = this.child.signalCode): ApiError {
    return ffmpegFailure(this.stderr, signal ? `killed by ${signal}` : `exit code ${code}`, this.output);
  }
}

/** Runs `ffmpeg -encoders` and checks the encoders are there; MISSING_TOOL when ffmpeg or one is not. */
export function checkFfmpeg(encoders: readonly string[]): Promise<void> {
  const path = ffmpegPath();
  return new Promise((resolve, reject) => {
    const child = spawn(path, ['-hide_banner', '-nostdin', '-encoders'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (out += chunk));
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' || error.code === 'EACCES' ? missingFfmpegError(path) : new ApiError('INTERNAL', `ffmpeg could not start: ${error.message}`)),
    );
    child.once('close', (code) => {
      if (code !== 0) return reject(new ApiError('MISSING_TOOL', `${path} -encoders failed (exit code ${code}); is it ffmpeg?`, { path }));
      const listed = new Set(out.split('\n').map((l) => l.trim().split(/\s+/)[1]).filter((w): w is string => !!w));
      const missing = encoders.filter((e) => !listed.has(e));
      if (missing.length > 0) reject(new ApiError('MISSING_TOOL', `${path} lacks the encoder${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; install a full ffmpeg build (Debian's has them).`, { path }));
      else resolve();
    });
  });
}
