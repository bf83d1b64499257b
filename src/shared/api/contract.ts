/**
 * The one typed API between the renderer and the studio's back end.
 *
 * Every method has an input schema (validated at the boundary, whatever the transport) and an
 * output type. The same `StudioHandlers` implementation is served over Electron IPC (preload +
 * contextBridge) and over the loopback web host (WebSocket); the renderer cannot tell which.
 * Bytes travel as Uint8Array: structured clone in Electron, binary frames on the socket.
 */
import { z } from 'zod';
import type { ImportResult, ProjectSnapshot, RecentProject } from '../project/types.ts';
import type { AvatarBuffers, AvatarResult, BakeOffsets, BakeStatus, EngineStatus } from './engine-types.ts';
import { MAX_MEDIA_BYTES } from './limits.ts';

/** Methods declare their output type through this phantom; only the input is checked at run time. */
interface MethodSpec<I extends z.ZodType, O> {
  input: I;
  /** Never read: carries the output type. */
  output?: O;
}

function method<O>() {
  return <I extends z.ZodType>(input: I): MethodSpec<I, O> => ({ input });
}

const noInput = z.object({}).strict();

/** A project or media name as a person types it: trimmed, 1..120 characters, no control characters. */
export const displayName = z
  .string()
  .trim()
  .min(1, 'Name must not be empty')
  .max(120, 'Name must be at most 120 characters')
  // eslint-disable-next-line no-control-regex
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'Name must not contain control characters');

/** An absolute file-system path (POSIX or Windows). Access rights are checked by the back end. */
export const absolutePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\'), 'Path must be absolute')
  .refine((p) => !p.includes('\u0000'), 'Path must not contain NUL');

const entityId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not a valid id');

/** A time in seconds on the timeline or in a clip: finite, 0 .. 24 h. */
const seconds = z.number().finite().min(0).max(86_400);

/** A crop adjustment in source pixels. */
const cropOverride = z
  .object({ centreX: z.number().finite(), centreY: z.number().finite(), size: z.number().finite().min(16).max(100_000) })
  .strict();

const vec3 = z.tuple([z.number().finite(), z.number().finite(), z.number().finite()]);
const unitRange = z.number().finite().min(-1).max(1);

/** A camera keyframe as the creator sets it (types.ts CameraKeyframeInput). */
const cameraKeyframeFields = z
  .object({
    timeS: seconds,
    mode: z.enum(['orbit', 'free']),
    yawDeg: z.number().finite().min(-3600).max(3600),
    pitchDeg: z.number().finite().min(-89.9).max(89.9),
    distance: z.number().finite().min(1e-3).max(1e4),
    position: vec3.nullable(),
    target: vec3,
    rollDeg: z.number().finite().min(-3600).max(3600),
    fovDeg: z.number().finite().min(1).max(170),
    interpolation: z.enum(['smooth', 'linear', 'hold']),
    tension: unitRange,
    continuity: unitRange,
    bias: unitRange,
    easing: z.enum(['none', 'ease-in', 'ease-out', 'ease-in-out']),
    clipId: entityId.nullable(),
  })
  .strict();
export const cameraKeyframeInput = cameraKeyframeFields.refine((k) => k.mode === 'orbit' || k.position !== null, 'A free camera key needs a position');

export const timeWarpSegmentInput = z
  .object({
    startS: seconds,
    endS: seconds,
    rate: z.number().finite().min(0).max(0.99),
    audioMode: z.enum(['silence', 'pause']),
    clipId: entityId.nullable(),
  })
  .strict()
  .refine((s) => s.endS - s.startS >= 0.04, 'A time-warp segment lasts at least one frame (40 ms)');

export const viewStateInput = z
  .object({
    pxPerS: z.number().finite().min(1e-3).max(1e5),
    scrollS: seconds,
    playheadS: seconds,
    panels: z.object({ mediaBin: z.number().finite().min(0).max(1e4), inspector: z.number().finite().min(0).max(1e4), timeline: z.number().finite().min(0).max(1e4) }).strict(),
    previewMode: z.enum(['path', 'orbit']),
    safeFrameAspect: z.number().finite().min(0.1).max(10),
    loop: z.boolean(),
  })
  .strict();

/**
 * Video export settings (issue 7). Sizes are output pixels; the camera's field of view spans the
 * frame's shorter side at any aspect ratio (projection.ts; the preview's safe frame shows the same). The checks that depend
 * on more than one field (even sizes for 4:2:0 codecs, transparency only where the format has
 * alpha, quality ranges per codec) are the refinements below, so the API and the CLI refuse the
 * same things with the same words.
 */
export const EXPORT_PRESETS = {
  '720p': { width: 1280, height: 720 },
  '1080p': { width: 1920, height: 1080 },
  '4k': { width: 3840, height: 2160 },
  vertical: { width: 1080, height: 1920 },
  square: { width: 1080, height: 1080 },
} as const;
export type ExportPreset = keyof typeof EXPORT_PRESETS;
export const EXPORT_FPS = [24, 25, 30, 50, 60] as const;
/** Containers and codecs; the first is the default. */
export const EXPORT_FORMATS = ['mp4-h264', 'mp4-h265', 'webm-vp9', 'mov-prores4444', 'png-sequence'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** Formats that carry an alpha channel (a transparent background needs one). */
export const ALPHA_FORMATS: readonly ExportFormat[] = ['mov-prores4444', 'png-sequence'];
/** Formats whose chroma is subsampled 4:2:0, which needs even frame sizes. */
export const YUV420_FORMATS: readonly ExportFormat[] = ['mp4-h264', 'mp4-h265', 'webm-vp9'];
/** Constant-quality range per codec (lower is better): x264/x265 0..51, libvpx-vp9 0..63. */
export const CRF_RANGE: Partial<Record<ExportFormat, readonly [number, number]>> = { 'mp4-h264': [0, 51], 'mp4-h265': [0, 51], 'webm-vp9': [0, 63] };
/** Largest output edge, pixels (8K; the rasterizer takes up to 16384). */
export const MAX_EXPORT_EDGE = 7680;

const exportBackground = z.discriminatedUnion('kind', [
  /**
   * The avatar's inpainted background on a card in head space just behind the head, filling the
   * source camera's view and extended beyond it with its edge pixels repeated; each frame sees it
   * through its own camera, as the preview does (src/shared/camera/background-card.ts).
   */
  z.object({ kind: z.literal('predicted') }).strict(),
  z.object({ kind: z.literal('color'), color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'A colour is #rrggbb') }).strict(),
  /** An image file, scaled to cover the frame. */
  z.object({ kind: z.literal('image'), path: absolutePath }).strict(),
  z.object({ kind: z.literal('transparent') }).strict(),
]);

const exportQuality = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('crf'), crf: z.number().int().min(0).max(63) }).strict(),
  z.object({ mode: z.literal('bitrate'), kbps: z.number().int().min(100).max(1_000_000) }).strict(),
]);

export const exportSettingsInput = z
  .object({
    width: z.number().int().min(16).max(MAX_EXPORT_EDGE),
    height: z.number().int().min(16).max(MAX_EXPORT_EDGE),
    fps: z.union(EXPORT_FPS.map((f) => z.literal(f)) as [z.ZodLiteral<24>, z.ZodLiteral<25>, z.ZodLiteral<30>, z.ZodLiteral<50>, z.ZodLiteral<60>]),
    format: z.enum(EXPORT_FORMATS),
    /** Absent: the codec's default constant quality. ProRes and PNG ignore it (fixed quality / lossless). */
    quality: exportQuality.optional(),
    background: exportBackground,
    /** Output-time range to export, seconds; absent: from 0 to where the last clip, key or segment ends. */
    range: z.object({ startS: seconds, endS: seconds }).strict().optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (YUV420_FORMATS.includes(s.format) && (s.width % 2 !== 0 || s.height % 2 !== 0)) {
      ctx.addIssue({ code: 'custom', message: `${s.format} stores colour at half resolution (yuv420p), so the width and height must be even; got ${s.width}x${s.height}` });
    }
    if (s.background.kind === 'transparent' && !ALPHA_FORMATS.includes(s.format)) {
      ctx.addIssue({ code: 'custom', message: `${s.format} has no alpha channel; a transparent background needs mov-prores4444 or png-sequence` });
    }
    const crfRange = CRF_RANGE[s.format];
    if (s.quality?.mode === 'crf' && crfRange && (s.quality.crf < crfRange[0] || s.quality.crf > crfRange[1])) {
      ctx.addIssue({ code: 'custom', message: `CRF for ${s.format} is ${crfRange[0]}..${crfRange[1]}, got ${s.quality.crf}` });
    }
    if (s.range && !(s.range.endS > s.range.startS)) ctx.addIssue({ code: 'custom', message: `The export range must end after it starts (got ${s.range.startS} to ${s.range.endS} s)` });
  });
export type ExportSettings = z.output<typeof exportSettingsInput>;

/** One row of the project's export history (projects-schema 0001, table exports). */
export interface ExportRecord {
  id: number;
  startedAt: string;
  finishedAt: string | null;
  status: 'running' | 'done' | 'failed' | 'cancelled';
  outputPath: string;
  settings: ExportSettings;
  /** Frames written (so far, for a failed or cancelled export). */
  frames: number | null;
  error: string | null;
}

export interface ExportResult {
  id: number;
  outputPath: string;
  frames: number;
  durationS: number;
  /** Wall-clock seconds the export took, baking excluded. */
  wallS: number;
  /** Rasterizer backend used. */
  backend: 'cpu' | 'cuda';
}

/** Progress of a running export, pushed as 'export.progress'. */
export interface ExportProgress {
  id: number;
  outputPath: string;
  /** 'baking': waiting for the clips' bakes; 'rendering': frames going to ffmpeg; 'finishing': closing the file. */
  state: 'preparing' | 'baking' | 'rendering' | 'finishing' | 'done' | 'failed' | 'cancelled';
  framesDone: number;
  framesTotal: number;
  /** Frames per second over the export so far (0 until the first frame). */
  fps: number;
  /** Estimated seconds until done, null while unknown. */
  secondsLeft: number | null;
  error: string | null;
}

export { MAX_MEDIA_BYTES };

export type TransportKind = 'electron' | 'web';

export interface AppInfo {
  name: string;
  version: string;
  transport: TransportKind;
  /** Newest project schema this build reads and writes. */
  schemaVersion: number;
  /** Folder where new projects are created. */
  projectsDir: string;
  /** True when native open/save dialogs exist (Electron); the web host uses its own pickers. */
  nativeDialogs: boolean;
  platform: string;
}

export interface Thumbnail {
  mime: string;
  bytes: Uint8Array;
}

export const studioApi = {
  'app.info': method<AppInfo>()(noInput),

  'projects.list': method<{ recent: RecentProject[]; library: RecentProject[] }>()(noInput),
  'projects.forgetRecent': method<RecentProject[]>()(z.object({ path: absolutePath }).strict()),

  'project.current': method<ProjectSnapshot | null>()(noInput),
  'project.create': method<ProjectSnapshot>()(
    z.object({ name: displayName, path: absolutePath.optional() }).strict(),
  ),
  'project.open': method<ProjectSnapshot>()(z.object({ path: absolutePath }).strict()),
  'project.close': method<null>()(noInput),
  /**
   * Writes a copy of the open project and continues in the copy. `path`: where a native dialog
   * chose; `name`: a new file in the project library, named after it (the copy takes that name).
   */
  'project.saveAs': method<ProjectSnapshot>()(
    z
      .object({ path: absolutePath.optional(), name: displayName.optional() })
      .strict()
      .refine((v) => (v.path === undefined) !== (v.name === undefined), 'Give either a path or a name'),
  ),
  'project.rename': method<ProjectSnapshot>()(z.object({ name: displayName }).strict()),

  'media.import': method<ImportResult>()(
    z
      .object({
        name: displayName,
        bytes: z
          .instanceof(Uint8Array)
          .refine((b) => b.byteLength > 0, 'The file is empty')
          .refine((b) => b.byteLength <= MAX_MEDIA_BYTES, `Files larger than ${MAX_MEDIA_BYTES} bytes are not accepted`),
      })
      .strict(),
  ),
  'media.importFile': method<ImportResult>()(z.object({ path: absolutePath }).strict()),
  'media.rename': method<ProjectSnapshot>()(z.object({ id: entityId, name: displayName }).strict()),
  'media.remove': method<ProjectSnapshot>()(z.object({ id: entityId }).strict()),
  'media.thumbnail': method<Thumbnail | null>()(z.object({ id: entityId }).strict()),
  /** Audio: peak level per equal slice of the duration, 0..255 for |sample| 0..1. Null for images. */
  'media.overview': method<{ peaks: Uint8Array } | null>()(z.object({ id: entityId }).strict()),

  /**
   * Builds a 3D head from an image in the media bin with the default model pack and makes it the
   * active avatar. `crop`: the creator's adjustment (source pixels); `faceIndex`: another of the
   * detected faces (0 = largest). No face / face too small are errors with a readable message.
   */
  'avatar.create': method<AvatarResult>()(
    z.object({ portraitMediaId: entityId, crop: cropOverride.optional(), faceIndex: z.number().int().min(0).max(63).optional() }).strict(),
  ),
  /** Generates the avatar again (new crop, other face, or a newer model pack); undoable. */
  'avatar.regenerate': method<AvatarResult>()(
    z.object({ avatarId: entityId, crop: cropOverride.optional(), faceIndex: z.number().int().min(0).max(63).optional() }).strict(),
  ),
  'avatar.setActive': method<ProjectSnapshot>()(z.object({ avatarId: entityId }).strict()),
  /** The avatar's splats (splat-bytes.ts layout), background (float32 RGB [R, R, 3]) and crop. */
  'avatar.buffers': method<AvatarBuffers>()(z.object({ avatarId: entityId }).strict()),
  /** The avatar as a standard 3DGS PLY file, for other splat tools. */
  'avatar.exportPly': method<{ fileName: string; bytes: Uint8Array }>()(z.object({ avatarId: entityId }).strict()),

  /** Places an audio item on an audio track; default: after the track's last clip. */
  'timeline.addClip': method<ProjectSnapshot>()(
    z.object({ mediaId: entityId, trackId: entityId.optional(), startS: seconds.optional() }).strict(),
  ),
  'timeline.updateClip': method<ProjectSnapshot>()(
    z
      .object({ clipId: entityId, startS: seconds.optional(), trimInS: seconds.optional(), trimOutS: seconds.optional(), gain: z.number().min(0).max(16).optional() })
      .strict(),
  ),
  'timeline.removeClip': method<ProjectSnapshot>()(z.object({ clipId: entityId }).strict()),
  /** Removes several clips (a multi-selection's Delete) as one undoable edit; each must exist. */
  'timeline.removeClips': method<ProjectSnapshot>()(z.object({ clipIds: z.array(entityId).min(1).max(1000) }).strict()),
  /**
   * Moves, trims, re-gains or replaces the media of several clips as one edit (a drag of a
   * selection). Moving a clip moves the camera keys and time-warp segments tied to it.
   */
  'timeline.updateClips': method<ProjectSnapshot>()(
    z
      .object({
        label: displayName,
        changes: z
          .array(
            z
              .object({ clipId: entityId, mediaId: entityId.optional(), trackId: entityId.optional(), startS: seconds.optional(), trimInS: seconds.optional(), trimOutS: seconds.optional(), gain: z.number().min(0).max(16).optional() })
              .strict(),
          )
          .min(1)
          .max(1000),
      })
      .strict(),
  ),
  /**
   * Replaces the audio a clip plays (the inspector's "Replace audio…"), as one edit: the clip keeps
   * its track, start, gain and played length (so what is tied to it stays meaningful); its in point
   * moves earlier only where the new media ends too soon. A played length longer than the new
   * media is an error naming both lengths.
   */
  'timeline.replaceMedia': method<ProjectSnapshot>()(z.object({ clipId: entityId, mediaId: entityId }).strict()),
  /** Cuts a clip in two at timeline time `atS` (strictly inside it); keys and segments tied to it stay with the half they fall in. */
  'timeline.splitClip': method<ProjectSnapshot>()(z.object({ clipId: entityId, atS: seconds }).strict()),
  /** Track mute, solo, gain. */
  'timeline.updateTrack': method<ProjectSnapshot>()(
    z.object({ trackId: entityId, muted: z.boolean().optional(), solo: z.boolean().optional(), gain: z.number().min(0).max(16).optional() }).strict(),
  ),

  /** Adds a camera keyframe; a key already at that time (within half a millisecond) is replaced. */
  'camera.addKey': method<ProjectSnapshot>()(z.object({ key: cameraKeyframeInput }).strict()),
  /** Changes fields of several keys as one edit (an inspector change, a drag of selected diamonds). */
  'camera.updateKeys': method<ProjectSnapshot>()(
    z
      .object({ label: displayName, changes: z.array(z.object({ id: entityId, key: cameraKeyframeFields.partial() }).strict()).min(1).max(1000) })
      .strict(),
  ),
  'camera.removeKeys': method<ProjectSnapshot>()(z.object({ ids: z.array(entityId).min(1).max(10_000) }).strict()),
  /** Writes many keys as one edit (a preset, an imported camera_path.json); `replace` drops the existing ones first. */
  'camera.setPath': method<ProjectSnapshot>()(
    z.object({ label: displayName, keys: z.array(cameraKeyframeInput).max(10_000), replace: z.boolean() }).strict(),
  ),

  /** Adds a time-warp segment; overlapping an existing one is an error. */
  'timewarp.add': method<ProjectSnapshot>()(z.object({ segment: timeWarpSegmentInput }).strict()),
  'timewarp.update': method<ProjectSnapshot>()(
    z
      .object({
        id: entityId,
        startS: seconds.optional(),
        endS: seconds.optional(),
        rate: z.number().finite().min(0).max(0.99).optional(),
        audioMode: z.enum(['silence', 'pause']).optional(),
        clipId: entityId.nullable().optional(),
      })
      .strict(),
  ),
  'timewarp.remove': method<ProjectSnapshot>()(z.object({ id: entityId }).strict()),
  /** Removes several time-warp segments (a multi-selection's Delete) as one undoable edit; each must exist. */
  'timewarp.removeSegments': method<ProjectSnapshot>()(z.object({ ids: z.array(entityId).min(1).max(1000) }).strict()),

  /** Remembers zoom, scroll, playhead, panel sizes; not an edit, never undone. */
  'project.saveView': method<null>()(z.object({ view: viewStateInput }).strict()),

  /**
   * Audio peaks of media time [startS, endS) in `bins` equal slices: per slice the largest
   * |sample|, 0..255 for 0..1. Computed once per media by the engine into the project's cache
   * (fine enough for single-frame zoom), so the renderer never decodes long audio to draw it.
   */
  'media.peaks': method<{ peaks: Uint8Array; startS: number; endS: number }>()(
    z.object({ mediaId: entityId, startS: seconds, endS: seconds, bins: z.number().int().min(1).max(16_384) }).strict(),
  ),
  /**
   * Decoded audio of media time [startS, startS + durationS), mono float32 LE at `sampleRate`,
   * for playback scheduled by the renderer (audio is the clock). At most 30 s per call.
   */
  'media.pcm': method<{ sampleRate: number; startS: number; bytes: Uint8Array }>()(
    z.object({ mediaId: entityId, startS: seconds, durationS: z.number().finite().min(0.001).max(30), sampleRate: z.union([z.literal(16_000), z.literal(44_100), z.literal(48_000)]) }).strict(),
  ),

  /** Bake state of every clip on the timeline for the active avatar. */
  'bake.status': method<BakeStatus[]>()(noInput),
  /** Baked offsets of frames [firstFrame, firstFrame + count) of a clip, as float32 bytes [count, N, 3]. */
  'bake.offsets': method<BakeOffsets>()(
    z.object({ clipId: entityId, firstFrame: z.number().int().min(0), count: z.number().int().min(1).max(1500) }).strict(),
  ),
  /** The avatar's offsets with silence as input (closed, still mouth), float32 bytes [N, 3]. */
  'bake.restOffsets': method<{ numSplats: number; bytes: Uint8Array }>()(z.object({ avatarId: entityId }).strict()),
  /** Starts baking again after a failure or an engine crash. */
  'bake.retry': method<BakeStatus[]>()(noInput),
  'engine.status': method<EngineStatus>()(noInput),

  'history.undo': method<ProjectSnapshot>()(noInput),
  'history.redo': method<ProjectSnapshot>()(noInput),

  /**
   * Exports the timeline as video (issue 7): waits for the clips' bakes, renders every frame with
   * the native rasterizer and encodes it with ffmpeg into `outputPath` (a file, or a folder for
   * png-sequence), written under a temporary name and renamed when complete. Resolves when done;
   * progress comes as 'export.progress' events; cancel with export.cancel or by aborting the call.
   * One export at a time.
   * `createFolder`: make the output's folder first when it is missing (the studio's default
   * location, the library's Exports folder); the access rules apply to the path all the same.
   * `backgroundMediaId`: an image from the project's media bin as the background, in place of
   * `settings.background` (the renderer knows media by id, not by file).
   */
  'export.start': method<ExportResult>()(
    z.object({ outputPath: absolutePath, settings: exportSettingsInput, createFolder: z.boolean().optional(), backgroundMediaId: entityId.optional() }).strict(),
  ),
  /** Cancels a running export (the temporary output is removed). True when one was running. */
  'export.cancel': method<boolean>()(z.object({ id: z.number().int().min(1) }).strict()),
  /** The open project's export history, newest first. */
  'export.history': method<ExportRecord[]>()(noInput),

  /** Native dialogs (Electron only). Paths they return are granted for this run. */
  'dialog.openProject': method<string | null>()(noInput),
  'dialog.saveProjectAs': method<string | null>()(z.object({ suggestedName: displayName }).strict()),
  'dialog.importMedia': method<string[]>()(noInput),
  /** Where an export goes: a file (a folder for png-sequence) the user names; null when cancelled. */
  'dialog.chooseExportPath': method<string | null>()(z.object({ suggestedName: displayName, format: z.enum(EXPORT_FORMATS) }).strict()),
} as const;

export type StudioApi = typeof studioApi;
export type MethodName = keyof StudioApi;
export type ApiInput<M extends MethodName> = z.input<StudioApi[M]['input']>;
export type ApiParsedInput<M extends MethodName> = z.output<StudioApi[M]['input']>;
export type ApiOutput<M extends MethodName> = Exclude<StudioApi[M]['output'], undefined>;

export const METHOD_NAMES = Object.keys(studioApi) as MethodName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(studioApi, name);
}

/** Commands the Electron app menu sends to the renderer; the renderer runs them like its own buttons. */
export const MENU_COMMANDS = [
  'project.new',
  'project.open',
  'project.saveAs',
  'project.close',
  'media.import',
  'edit.undo',
  'edit.redo',
] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

/** Events pushed from the back end. Subscribing returns the unsubscribe function. */
export interface StudioEvents {
  /** The open project changed (an edit, undo/redo, import), or null when it was closed. */
  'project.changed': ProjectSnapshot | null;
  /** The app menu asked for a command. */
  'menu.command': MenuCommand;
  /** A clip's bake advanced, finished or failed. */
  'bake.progress': BakeStatus;
  /** The engine process crashed (and will restart on the next job) or came back. */
  'engine.status': EngineStatus;
  /** A running export advanced, finished, failed or was cancelled. */
  'export.progress': ExportProgress;
}
export type EventName = keyof StudioEvents;

/** Per-request context given to handlers. */
export interface RequestContext {
  /** Aborted when the caller cancels or disconnects. */
  signal: AbortSignal;
}

/** What the back end implements once; both transports serve it. */
export type StudioHandlers = {
  [M in MethodName]: (input: ApiParsedInput<M>, ctx: RequestContext) => Promise<ApiOutput<M>> | ApiOutput<M>;
};

/** What the renderer calls; it does not know which transport is behind it. */
export interface StudioClient {
  call<M extends MethodName>(method: M, input: ApiInput<M>, options?: { signal?: AbortSignal }): Promise<ApiOutput<M>>;
  on<E extends EventName>(event: E, listener: (payload: StudioEvents[E]) => void): () => void;
  readonly transport: TransportKind;
}
